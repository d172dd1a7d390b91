package match

// The words of yes, no and not sure. Spellings map to a canonical word
// (Latin); the phrases and words below are written in canonical words.

// wordSpellings maps each known spelling (normalised) to its canonical word.
// Canonical words are Latin and are listed as spellings of themselves.
var wordSpellings = map[string]string{
	// हाँ
	"हां": "haan", "हा": "haan", "haan": "haan", "haa": "haan", "han": "haan", "ha": "haan", "hn": "haan", "hna": "haan",
	"हांजी": "haanji", "haanji": "haanji", "hanji": "haanji", "hnji": "haanji", "haji": "haanji", "haaji": "haanji",
	"जी": "ji", "ji": "ji", "jee": "ji", "g": "ji",
	"yes": "yes", "y": "yes", "yeah": "yes", "yep": "yes", "yup": "yes", "yea": "yes", "yess": "yes", "yas": "yes",
	"ok": "ok", "okay": "ok", "ओके": "ok", "k": "ok", "okey": "ok", "oky": "ok", "okie": "ok", "okk": "ok", "ओक": "ok",
	"ठीक": "theek", "theek": "theek", "thik": "theek", "thek": "theek", "tik": "theek", "theak": "theek", "thk": "theek",
	"है": "hai", "हैं": "hai", "hai": "hai", "hain": "hai", "he": "hai", "h": "hai", "hey": "hai",
	"हूं": "hun", "हु": "hun", "hun": "hun", "hu": "hun", "hoon": "hun", "hoo": "hun",
	"सही": "sahi", "sahi": "sahi", "sahee": "sahi", "shi": "sahi",
	"अच्छा": "accha", "अच्छी": "accha", "accha": "accha", "acha": "accha", "achha": "accha", "achchha": "accha", "achcha": "accha",
	"चलेगा": "chalega", "chalega": "chalega", "chalegaa": "chalega",
	"बिल्कुल": "bilkul", "बिलकुल": "bilkul", "bilkul": "bilkul", "bilkool": "bilkul", "bilkl": "bilkul",
	"जरूर": "zaroor", "zaroor": "zaroor", "jaroor": "zaroor", "zarur": "zaroor", "jarur": "zaroor", "jaroo": "zaroor", "zaroo": "zaroor",
	"अवश्य": "zaroor", "avashya": "zaroor", "definitely": "zaroor", "absolutely": "zaroor", "surely": "zaroor",
	"sure": "sure", "shure": "sure",
	"problem": "problem", "prob": "problem", "prblm": "problem", "issue": "problem", "dikkat": "problem", "दिक्कत": "problem",
	"परेशानी": "problem", "pareshani": "problem", "samasya": "problem", "समस्या": "problem", "tension": "problem",
	"pakka": "pakka", "पक्का": "pakka", "pkka": "pakka", "पक्की": "pakka", "pakki": "pakka",
	"निश्चित": "pakka", "confirm": "pakka", "तय": "pakka", "tay": "pakka", "confirmed": "pakka",
	"क्यों": "kyon", "क्यूं": "kyon", "kyon": "kyon", "kyun": "kyon", "kyu": "kyon", "kyo": "kyon", "why": "kyon",
	"कोई": "koi", "koi": "koi", "koii": "koi",
	// नहीं
	"नहीं": "nahi", "नही": "nahi", "नहि": "nahi", "नहिं": "nahi", "नई": "nahi", "nahi": "nahi", "nahin": "nahi",
	"nahiin": "nahi", "nhi": "nahi", "nai": "nahi", "nahee": "nahi", "nhin": "nahi", "nahii": "nahi", "nehi": "nahi",
	"ना": "na", "न": "na", "na": "na",
	"no": "no", "n": "no", "nope": "no", "nah": "no", "noo": "no",
	"not": "not", "cannot": "not", "cant": "not", "wont": "not", "dont": "not", "unable": "not", "never": "not",
	"मत": "mat", "mat": "mat",
	"अभी": "abhi", "abhi": "abhi", "abi": "abhi",
	// come, in every person and gender
	"आ": "aa", "aa": "aa", "a": "aa",
	"आऊंगा": "aaunga", "आउंगा": "aaunga", "आऊंगी": "aaunga", "आउंगी": "aaunga", "आएंगे": "aaunga", "आयेंगे": "aaunga",
	"आएंगी": "aaunga", "आयेंगी": "aaunga", "आएगा": "aayega", "आयेगा": "aayega", "आएगी": "aayega", "आयेगी": "aayega",
	"आऊगा": "aaunga", "आऊगी": "aaunga", "आयेंगें": "aaunga",
	"aaunga": "aaunga", "aunga": "aaunga", "aaoonga": "aaunga", "aaonga": "aaunga", "auga": "aaunga", "aaugi": "aaunga",
	"aaungi": "aaunga", "aungi": "aaunga", "aaoongi": "aaunga", "aaongi": "aaunga", "augi": "aaunga",
	"aayenge": "aaunga", "aaenge": "aaunga", "ayenge": "aaunga", "aynge": "aaunga", "aayege": "aaunga", "ayege": "aaunga",
	"aayengi": "aaunga", "aaengi": "aaunga", "ayengi": "aaunga", "aayega": "aayega", "ayega": "aayega", "aaega": "aayega",
	"aayegi": "aayega", "aaegi": "aayega", "ayegi": "aayega", "aaugaa": "aaunga",
	"पहुंचूंगा": "aaunga", "पहुंचूंगी": "aaunga", "पहुंचेंगे": "aaunga", "पहुंचेंगी": "aaunga", "पहुचूंगा": "aaunga",
	"pahunchunga": "aaunga", "pahunchungi": "aaunga", "pahuchunga": "aaunga", "pahunchenge": "aaunga", "pahuchungi": "aaunga",
	"चलूंगा": "aaunga", "चलूंगी": "aaunga", "चलेंगे": "aaunga", "chalunga": "aaunga", "chalungi": "aaunga", "chalenge": "aaunga",
	"coming": "aaunga",
	"जाऊंगा": "jaunga", "जाउंगा": "jaunga", "जाऊंगी": "jaunga", "जाउंगी": "jaunga", "जाएंगे": "jaunga", "जायेंगे": "jaunga",
	"जाएंगी": "jaunga", "जायेंगी": "jaunga", "जाएगा": "aayega", "जायेगा": "aayega", "जाएगी": "aayega", "जायेगी": "aayega",
	"jaunga": "jaunga", "jaungi": "jaunga", "jaenge": "jaunga", "jayenge": "jaunga", "jaayenge": "jaunga", "jaoonga": "jaunga",
	"jaoongi": "jaunga", "jaaunga": "jaunga", "jaaungi": "jaunga", "jauga": "jaunga", "jaugi": "jaunga", "jayengi": "jaunga",
	"jaega": "aayega", "jayega": "aayega", "jaegi": "aayega", "jayegi": "aayega",
	// aayega: he or she will come, perhaps someone else: says nothing alone
	"जगह": "jagah", "jagah": "jagah", "jagha": "jagah", "instead": "jagah", "बदले": "jagah", "badle": "jagah",
	"और": "aur", "aur": "aur", "else": "aur", "someone": "someone",
	"पहुंच": "pahunch", "pahunch": "pahunch", "pahuch": "pahunch",
	"पाऊंगा": "paunga", "पाउंगा": "paunga", "पाऊंगी": "paunga", "पाउंगी": "paunga", "पाएंगे": "paunga", "पायेंगे": "paunga",
	"पाएंगी": "paunga", "पाऊं": "paunga", "पाएगा": "paunga", "पाएगी": "paunga", "पाऊगा": "paunga", "पाऊगी": "paunga",
	"paunga": "paunga", "paungi": "paunga", "paoonga": "paunga", "payenge": "paunga", "paenge": "paunga", "paaunga": "paunga",
	"paaungi": "paunga", "pauga": "paunga", "paugi": "paunga", "paoongi": "paunga", "payega": "paunga", "payegi": "paunga",
	"सकूंगा": "sakunga", "सकूंगी": "sakunga", "सकेंगे": "sakunga", "सकेंगी": "sakunga", "सकुंगा": "sakunga", "सकुंगी": "sakunga",
	"sakunga": "sakunga", "sakungi": "sakunga", "skunga": "sakunga", "skungi": "sakunga", "sakenge": "sakunga", "sakoonga": "sakunga",
	"रहा": "raha", "रही": "raha", "रहे": "raha", "रहीं": "raha", "रहें": "raha", "raha": "raha", "rahi": "raha", "rahe": "raha", "rha": "raha", "rhi": "raha", "rhe": "raha",
	"रहूंगा": "rahunga", "रहूंगी": "rahunga", "रहेंगे": "rahunga", "रहेंगी": "rahunga", "rahunga": "rahunga", "rahungi": "rahunga",
	"rahenge": "rahunga", "rahoonga": "rahunga",
	"होऊंगा": "hounga", "होउंगा": "hounga", "होऊंगी": "hounga", "होउंगी": "hounga", "होंगे": "hounga", "होंगी": "hounga",
	"hounga": "hounga", "houngi": "hounga", "honge": "hounga", "hoonga": "hounga",
	"मौजूद": "maujood", "maujood": "maujood", "maujud": "maujood", "उपस्थित": "maujood", "upasthit": "maujood",
	"हाजिर": "maujood", "hazir": "maujood", "haazir": "maujood", "present": "maujood",
	"शामिल": "shamil", "shamil": "shamil", "saamil": "shamil",
	"करूंगा": "karunga", "करूंगी": "karunga", "करेंगे": "karunga", "करेंगी": "karunga", "करुंगा": "karunga", "करुंगी": "karunga",
	"karunga": "karunga", "karungi": "karunga", "karenge": "karunga", "karoonga": "karunga", "krunga": "karunga", "krungi": "karunga",
	"can": "can", "t": "t", "won": "won", "don": "don",
	"बता": "bata", "bata": "bata", "btaa": "bata",
	"दूंगा": "dunga", "दूंगी": "dunga", "देंगे": "dunga", "देंगी": "dunga", "दुंगा": "dunga", "दुंगी": "dunga",
	"dunga": "dunga", "dungi": "dunga", "denge": "dunga", "doonga": "dunga", "doongi": "dunga",
	"attend": "attend", "अटेंड": "attend", "will": "will", "come": "come", "be": "be", "there": "there", "i": "i", "ill": "will",
	// not sure
	"पता": "pata", "pata": "pata", "pta": "pata", "patta": "pata",
	"मालूम": "malum", "मालुम": "malum", "malum": "malum", "maloom": "malum", "maalum": "malum",
	"शायद": "shayad", "shayad": "shayad", "sayad": "shayad", "shaayad": "shayad", "shyd": "shayad", "shaayd": "shayad",
	"maybe": "maybe", "mayb": "maybe", "may": "may", "probably": "maybe", "perhaps": "maybe",
	"देखेंगे": "dekhenge", "dekhenge": "dekhenge", "dekhege": "dekhenge", "dekhange": "dekhenge", "देखूंगा": "dekhenge",
	"देखूंगी": "dekhenge", "dekhunga": "dekhenge", "dekhungi": "dekhenge", "dekhoonga": "dekhenge",
	"देखते": "dekhte", "देखती": "dekhte", "देखता": "dekhte", "dekhte": "dekhte", "dekhti": "dekhte", "dekhta": "dekhte",
	"सोचेंगे": "sochenge", "sochenge": "sochenge", "sochege": "sochenge", "सोचूंगा": "sochenge", "सोचूंगी": "sochenge",
	"sochunga": "sochenge", "sochungi": "sochenge",
	"बताऊंगा": "bataunga", "बताउंगा": "bataunga", "बताऊंगी": "bataunga", "बताउंगी": "bataunga", "बताएंगे": "bataunga",
	"बतायेंगे": "bataunga", "बताएंगी": "bataunga", "बताऊगा": "bataunga", "bataunga": "bataunga", "bataungi": "bataunga",
	"btaunga": "bataunga", "btaungi": "bataunga", "bataenge": "bataunga", "batayenge": "bataunga", "bataoonga": "bataunga",
	"bataugi": "bataunga", "batauga": "bataunga", "बताती": "bataunga", "बताता": "bataunga", "बताते": "bataunga",
	"batati": "bataunga", "batata": "bataunga", "batate": "bataunga", "btati": "bataunga", "btata": "bataunga",
	"कोशिश": "koshish", "koshish": "koshish", "koshis": "koshish", "kosis": "koshish", "kosish": "koshish", "try": "koshish",
	"अगर": "agar", "agar": "agar", "agr": "agar", "यदि": "agar", "yadi": "agar", "if": "agar", "बशर्ते": "agar",
	"depend": "depend", "depends": "depend", "निर्भर": "depend", "nirbhar": "depend",
	"मुश्किल": "mushkil", "mushkil": "mushkil", "muskil": "mushkil", "difficult": "mushkil",
	"तो": "to", "to": "to", "toh": "to",
	"मिला": "mila", "मिली": "mila", "मिले": "mila", "mila": "mila", "mili": "mila", "mile": "mila",
	"गया": "gaya", "गई": "gaya", "गए": "gaya", "गयी": "gaya", "गये": "gaya", "gaya": "gaya", "gayi": "gaya", "gaye": "gaya", "gai": "gaya",
	"आया": "aaya", "आई": "aaya", "आए": "aaya", "आयी": "aaya", "aaya": "aaya", "aayi": "aaya", "aaye": "aaya", "aya": "aaya",
	"हुआ": "hua", "हुई": "hua", "हुए": "hua", "hua": "hua", "hui": "hua", "hue": "hua",
	"सका": "saka", "सकी": "saka", "सके": "saka", "saka": "saka", "saki": "saka", "sake": "saka",
	"हो": "ho", "ho": "ho",
	"सकता": "sakta", "सकती": "sakta", "sakta": "sakta", "skta": "sakta", "sakti": "sakta", "skti": "sakta",
	"कह": "keh", "keh": "keh", "kah": "keh", "kehna": "keh", "कहना": "keh",
	"idea": "idea", "of": "of", "course": "course",
	// fillers around a reason
	"sorry": "sorry", "सॉरी": "sorry", "sry": "sorry", "sori": "sorry", "माफ": "sorry", "maaf": "sorry", "माफी": "sorry", "maafi": "sorry",
	"कीजिए": "kijiye", "कीजिये": "kijiye", "kijiye": "kijiye", "kijie": "kijiye", "करें": "kijiye", "karen": "kijiye",
	"भाई": "bhai", "bhai": "bhai", "sir": "sir", "सर": "sir", "madam": "sir", "मैडम": "sir", "mam": "sir", "दीदी": "sir", "didi": "sir",
	"मैं": "main", "main": "main", "mai": "main", "me": "main", "हम": "main", "hum": "main", "ham": "main", "मै": "main",
	"क्योंकि": "kyonki", "क्यूंकि": "kyonki", "क्युकी": "kyonki", "क्योंकी": "kyonki", "kyonki": "kyonki", "kyunki": "kyonki",
	"kyuki": "kyonki", "kyoki": "kyonki", "because": "kyonki", "coz": "kyonki", "cuz": "kyonki", "bcoz": "kyonki", "bcz": "kyonki",
	"इसलिए": "isliye", "इसलिये": "isliye", "isliye": "isliye", "islie": "isliye", "so": "isliye",
	"पर": "par", "par": "par", "लेकिन": "par", "lekin": "par", "magar": "par", "मगर": "par", "but": "par",
}

// maxIntentPhrase is the most words a key of intentPhrases has.
const maxIntentPhrase = 3

// intentPhrases are the phrases whose words mean something else together:
// "पता नहीं" is not sure, not no; "कोई दिक्कत नहीं" is yes.
var intentPhrases = map[string]signal{
	"pata nahi": sigMaybe, "nahi pata": sigMaybe, "malum nahi": sigMaybe, "nahi malum": sigMaybe,
	"pakka nahi": sigMaybe, "nahi pakka": sigMaybe, "sure nahi": sigMaybe, "not sure": sigMaybe, "no idea": sigMaybe,
	"may be": sigMaybe, "keh nahi": sigMaybe, "nahi keh": sigMaybe,
	"mila to": sigMaybe, "hua to": sigMaybe, "gaya to": sigMaybe, "aaya to": sigMaybe, "saka to": sigMaybe, "raha to": sigMaybe, "ho to": sigMaybe,

	"no problem": sigYes, "koi problem nahi": sigYes, "problem nahi": sigYes, "koi nahi problem": sigYes,
	"can t": sigNeg, "won t": sigNeg, "don t": sigNeg, "bata dunga": sigMaybe, "nahi bata": sigMaybe, "abhi nahi bata": sigMaybe, "bata nahi": sigMaybe,
	"kyon nahi": sigYes, "kyon not": sigYes, "of course": sigYes,

	"ji nahi": sigNeg, "bilkul nahi": sigNeg, "zaroor nahi": sigNeg, "bilkul no": sigNeg, "abhi nahi": sigNeg,

	"koi aur": sigUnclear, "someone aur": sigUnclear,

	"aa raha": sigCome, "maujood rahunga": sigCome, "shamil hounga": sigCome, "attend karunga": sigCome,
	"will come": sigCome, "will attend": sigCome, "will be there": sigCome, "i will come": sigCome,
}

// intentWords are what single canonical words say.
var intentWords = map[string]signal{
	"haan": sigYes, "haanji": sigYes, "yes": sigYes, "zaroor": sigYes, "bilkul": sigYes, "sure": sigYes, "pakka": sigYes,
	"👍": sigYes, "✅": sigYes, "✔": sigYes, "☑": sigYes, "✓": sigYes, "👌": sigYes, "🆗": sigYes, "💯": sigYes,

	"ji": sigWeakYes, "ok": sigWeakYes, "theek": sigWeakYes, "sahi": sigWeakYes, "accha": sigWeakYes, "chalega": sigWeakYes,

	"aaunga": sigCome, "jaunga": sigCome, "paunga": sigCome, "sakunga": sigCome,

	"nahi": sigNeg, "no": sigNeg, "not": sigNeg, "mat": sigNeg,
	"👎": sigNeg, "❌": sigNeg, "✖": sigNeg, "✗": sigNeg, "✘": sigNeg, "❎": sigNeg, "🙅": sigNeg, "🚫": sigNeg,

	"jagah": sigUnclear,

	"shayad": sigMaybe, "maybe": sigMaybe, "dekhenge": sigMaybe, "dekhte": sigMaybe, "sochenge": sigMaybe,
	"bataunga": sigMaybe, "koshish": sigMaybe, "agar": sigMaybe, "depend": sigMaybe, "mushkil": sigMaybe,
	"🤔": sigMaybe, "🤷": sigMaybe,

	"aa": sigFiller, "hai": sigFiller, "hun": sigFiller,
}

// reasonFillers are dropped at the edges of a reason, and join the
// negative phrase ("मैं नहीं आ पाऊँगी जी").
var reasonFillers = map[string]bool{
	"hai": true, "hun": true, "ji": true, "sorry": true, "kijiye": true, "bhai": true, "sir": true, "main": true,
	"aa": true, "raha": true, "ok": true, "theek": true, "accha": true, "to": true, "sakta": true, "of": true,
}

// reasonConnectives join a reason to the no: "…, क्योंकि …", "…, इसलिए …".
var reasonConnectives = map[string]bool{"kyonki": true, "isliye": true, "par": true}
