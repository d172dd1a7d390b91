package match

// The number words of Hindi, written the ways people type them. Hindi has a
// separate, irregular word for every number from 0 to 99, so the table lists
// each; the spellings are normalised (no nukta, ँ written as ं), which a
// test checks.

// hindiNumbers maps each spelling of a Hindi number word, Devanagari and
// romanised, to its value. Each line is one number.
var hindiNumbers = map[string]int64{
	"शून्य": 0, "shunya": 0, "shoonya": 0, "sunya": 0, "sifar": 0, "सिफर": 0,
	"एक": 1, "ek": 1, "ik": 1,
	"दो": 2, "do": 2, "doo": 2,
	"तीन": 3, "teen": 3, "tin": 3, "tiin": 3,
	"चार": 4, "char": 4, "chaar": 4,
	"पांच": 5, "पाच": 5, "paanch": 5, "panch": 5, "paach": 5, "panc": 5, "pach": 5,
	"छह": 6, "छः": 6, "छ": 6, "छे": 6, "छै": 6, "chhah": 6, "chhe": 6, "chah": 6, "che": 6, "chhai": 6, "chha": 6, "cheh": 6,
	"सात": 7, "saat": 7, "sat": 7,
	"आठ": 8, "aath": 8, "ath": 8, "aat": 8,
	"नौ": 9, "nau": 9, "nao": 9, "nou": 9,
	"दस": 10, "das": 10, "dus": 10, "dass": 10,
	"ग्यारह": 11, "ग्यारा": 11, "gyarah": 11, "gyara": 11, "gyaarah": 11, "gyaara": 11, "giyara": 11,
	"बारह": 12, "बारा": 12, "barah": 12, "bara": 12, "baarah": 12, "baara": 12, "barha": 12,
	"तेरह": 13, "तेरा": 13, "terah": 13, "tera": 13, "terha": 13,
	"चौदह": 14, "चौदा": 14, "chaudah": 14, "chauda": 14, "chodah": 14, "choda": 14, "chaudha": 14,
	"पंद्रह": 15, "पन्द्रह": 15, "पंद्रा": 15, "pandrah": 15, "pandra": 15, "pandhra": 15, "pundra": 15,
	"सोलह": 16, "सोला": 16, "solah": 16, "sola": 16, "solha": 16,
	"सत्रह": 17, "सतरह": 17, "सत्रा": 17, "satrah": 17, "satra": 17, "satrha": 17,
	"अठारह": 18, "अट्ठारह": 18, "अठारा": 18, "atharah": 18, "athara": 18, "atharha": 18, "attharah": 18, "atthara": 18,
	"उन्नीस": 19, "उन्निस": 19, "unnees": 19, "unnis": 19, "unees": 19, "unis": 19,
	"बीस": 20, "bees": 20, "bis": 20, "biss": 20,
	"इक्कीस": 21, "इकीस": 21, "ikkees": 21, "ikkis": 21, "ikis": 21, "ekkis": 21,
	"बाईस": 22, "बाइस": 22, "baees": 22, "bais": 22, "baais": 22, "baaees": 22, "baaies": 22,
	"तेईस": 23, "तेइस": 23, "teis": 23, "teees": 23, "teyis": 23, "teyees": 23,
	"चौबीस": 24, "चौबिस": 24, "chaubees": 24, "chaubis": 24, "chobis": 24, "chobees": 24,
	"पच्चीस": 25, "पचीस": 25, "pachchees": 25, "pachees": 25, "pachis": 25, "pacchis": 25, "pachchis": 25,
	"छब्बीस": 26, "छब्बिस": 26, "chhabbees": 26, "chhabbis": 26, "chabbis": 26, "chabees": 26, "chabbees": 26,
	"सत्ताईस": 27, "सत्ताइस": 27, "sattaees": 27, "sattais": 27, "satais": 27, "sattaies": 27,
	"अट्ठाईस": 28, "अठ्ठाईस": 28, "अठाईस": 28, "अट्ठाइस": 28, "atthaees": 28, "atthais": 28, "athais": 28, "athaees": 28, "athhais": 28,
	"उनतीस": 29, "उन्तीस": 29, "untees": 29, "untis": 29, "unatis": 29,
	"तीस": 30, "tees": 30, "tis": 30,
	"इकतीस": 31, "इकत्तीस": 31, "iktees": 31, "iktis": 31, "ikatis": 31,
	"बत्तीस": 32, "battees": 32, "battis": 32, "batis": 32,
	"तैंतीस": 33, "तेंतीस": 33, "तेतीस": 33, "तैतीस": 33, "taintees": 33, "taintis": 33, "tentis": 33, "tetis": 33, "taitis": 33,
	"चौंतीस": 34, "चौतीस": 34, "chauntees": 34, "chauntis": 34, "chontis": 34, "chautis": 34, "chountis": 34,
	"पैंतीस": 35, "पैतीस": 35, "paintees": 35, "paintis": 35, "pentis": 35, "paitis": 35,
	"छत्तीस": 36, "chhattees": 36, "chhattis": 36, "chattis": 36, "chatees": 36,
	"सैंतीस": 37, "सैतीस": 37, "saintees": 37, "saintis": 37, "sentis": 37, "saitis": 37,
	"अडतीस": 38, "अठतीस": 38, "adtees": 38, "adtis": 38, "artis": 38, "adatis": 38, "artees": 38,
	"उनतालीस": 39, "उनतालिस": 39, "उनचालीस": 39, "untalees": 39, "untalis": 39, "unchalis": 39, "unchalees": 39,
	"चालीस": 40, "चालिस": 40, "chalees": 40, "chalis": 40, "chaalis": 40, "chaalees": 40,
	"इकतालीस": 41, "इकतालिस": 41, "iktalees": 41, "iktalis": 41, "ikatalis": 41,
	"बयालीस": 42, "बियालीस": 42, "बयालिस": 42, "bayalees": 42, "bayalis": 42, "byalis": 42, "biyalis": 42,
	"तैंतालीस": 43, "तेंतालीस": 43, "तैतालीस": 43, "taintalees": 43, "taintalis": 43, "tentalis": 43, "taitalis": 43,
	"चवालीस": 44, "चौवालीस": 44, "चौंवालीस": 44, "chavalees": 44, "chawalis": 44, "chaualis": 44, "chauvalis": 44, "chavalis": 44,
	"पैंतालीस": 45, "पैंतालिस": 45, "पैतालीस": 45, "paintalees": 45, "paintalis": 45, "pentalis": 45, "paitalis": 45,
	"छियालीस": 46, "छियालिस": 46, "chhiyalees": 46, "chhiyalis": 46, "chiyalis": 46,
	"सैंतालीस": 47, "सैतालीस": 47, "saintalees": 47, "saintalis": 47, "sentalis": 47,
	"अडतालीस": 48, "अडतालिस": 48, "adtalees": 48, "adtalis": 48, "artalis": 48,
	"उनचास": 49, "उंचास": 49, "unchaas": 49, "unchas": 49, "unchass": 49,
	"पचास": 50, "pachaas": 50, "pachas": 50, "pachass": 50,
	"इक्यावन": 51, "इकावन": 51, "ikyavan": 51, "ikyawan": 51, "ekyavan": 51, "ikkyavan": 51,
	"बावन": 52, "baavan": 52, "bavan": 52, "bawan": 52, "baawan": 52,
	"तिरपन": 53, "तिरेपन": 53, "tirpan": 53, "tirepan": 53, "tirapan": 53,
	"चौवन": 54, "चव्वन": 54, "चौअन": 54, "chauvan": 54, "chauwan": 54, "chowan": 54, "chavvan": 54,
	"पचपन": 55, "pachpan": 55, "pachapan": 55,
	"छप्पन": 56, "chhappan": 56, "chappan": 56, "chhapan": 56,
	"सत्तावन": 57, "सतावन": 57, "sattavan": 57, "sattawan": 57, "satawan": 57, "satavan": 57,
	"अट्ठावन": 58, "अठावन": 58, "अठ्ठावन": 58, "atthavan": 58, "athavan": 58, "athawan": 58, "atthawan": 58,
	"उनसठ": 59, "unsath": 59, "unsadh": 59,
	"साठ": 60, "saath": 60, "sath": 60, "saadh": 60,
	"इकसठ": 61, "iksath": 61, "ikasath": 61,
	"बासठ": 62, "baasath": 62, "basath": 62,
	"तिरसठ": 63, "तिरेसठ": 63, "tirsath": 63, "tiresath": 63,
	"चौंसठ": 64, "चौसठ": 64, "chaunsath": 64, "chausath": 64, "chosath": 64,
	"पैंसठ": 65, "पैसठ": 65, "painsath": 65, "pensath": 65, "paisath": 65,
	"छियासठ": 66, "chhiyasath": 66, "chiyasath": 66, "chhiyaasath": 66,
	"सडसठ": 67, "सरसठ": 67, "सतसठ": 67, "sadsath": 67, "sarsath": 67, "satsath": 67,
	"अडसठ": 68, "अरसठ": 68, "adsath": 68, "arsath": 68, "adsadh": 68,
	"उनहत्तर": 69, "unhattar": 69, "unahattar": 69,
	"सत्तर": 70, "sattar": 70, "satter": 70,
	"इकहत्तर": 71, "ikhattar": 71, "ikahattar": 71,
	"बहत्तर": 72, "bahattar": 72, "behattar": 72, "bahatar": 72,
	"तिहत्तर": 73, "tihattar": 73, "tihatar": 73,
	"चौहत्तर": 74, "chauhattar": 74, "chohattar": 74,
	"पचहत्तर": 75, "pachhattar": 75, "pachattar": 75, "pachahattar": 75,
	"छिहत्तर": 76, "छिहतर": 76, "chhihattar": 76, "chihattar": 76,
	"सतहत्तर": 77, "sathattar": 77, "satattar": 77, "satahattar": 77,
	"अठहत्तर": 78, "athhattar": 78, "athattar": 78, "athahattar": 78,
	"उन्यासी": 79, "उनासी": 79, "उन्नासी": 79, "unyasi": 79, "unasi": 79, "unnasi": 79,
	"अस्सी": 80, "assi": 80, "asi": 80, "assee": 80,
	"इक्यासी": 81, "ikyasi": 81, "ikyaasi": 81,
	"बयासी": 82, "बियासी": 82, "bayasi": 82, "biyasi": 82,
	"तिरासी": 83, "tirasi": 83, "tiraasi": 83,
	"चौरासी": 84, "chaurasi": 84, "chourasi": 84, "chorasi": 84,
	"पचासी": 85, "pachasi": 85, "pachaasi": 85,
	"छियासी": 86, "chhiyasi": 86, "chiyasi": 86,
	"सत्तासी": 87, "सतासी": 87, "sattasi": 87, "satasi": 87,
	"अट्ठासी": 88, "अठासी": 88, "atthasi": 88, "athasi": 88,
	"नवासी": 89, "नव्वासी": 89, "navasi": 89, "nawasi": 89,
	"नब्बे": 90, "nabbe": 90, "nabbey": 90, "nabe": 90,
	"इक्यानबे": 91, "इक्यानवे": 91, "ikyanbe": 91, "ikyanve": 91, "ikyaanve": 91,
	"बानबे": 92, "बानवे": 92, "baanbe": 92, "banve": 92, "baanve": 92, "banbe": 92,
	"तिरानबे": 93, "तिरानवे": 93, "tiranbe": 93, "tiranve": 93,
	"चौरानबे": 94, "चौरानवे": 94, "chauranbe": 94, "chauranve": 94,
	"पचानबे": 95, "पचानवे": 95, "पंचानवे": 95, "pachanbe": 95, "pachanve": 95, "panchanve": 95,
	"छियानबे": 96, "छियानवे": 96, "chhiyanbe": 96, "chhiyanve": 96, "chiyanve": 96,
	"सत्तानबे": 97, "सत्तानवे": 97, "sattanbe": 97, "sattanve": 97,
	"अट्ठानबे": 98, "अट्ठानवे": 98, "अठानवे": 98, "अठानबे": 98, "atthanbe": 98, "atthanve": 98, "athanve": 98,
	"निन्यानबे": 99, "निन्यानवे": 99, "ninyanbe": 99, "ninyanve": 99, "ninyanave": 99, "ninanve": 99,
}

// englishNumbers are the English number words; a tens word followed by a
// unit word adds up ("twenty five").
var englishNumbers = map[string]int64{
	"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
	"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
	"seventeen": 17, "eighteen": 18, "nineteen": 19,
	"twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}

// scaleWords multiply what stands before them. सौ is a hundred inside a
// group; the others end a group (हज़ार, लाख, करोड़ in falling order).
var scaleWords = map[string]int64{
	"सौ": 100, "sau": 100, "sou": 100, "saw": 100, "hundred": 100,
	"हजार": 1000, "hazar": 1000, "hazaar": 1000, "hajar": 1000, "hajaar": 1000, "hzar": 1000, "hazzar": 1000, "thousand": 1000,
	"लाख": 100000, "lakh": 100000, "lac": 100000, "lakhs": 100000, "laakh": 100000, "lacs": 100000, "lakha": 100000,
	"करोड": 10000000, "crore": 10000000, "crores": 10000000, "karod": 10000000, "karor": 10000000, "karoda": 10000000,
}

// touchingScales are the short scales written against a number: "3k",
// "2.5l", "1cr".
var touchingScales = map[string]int64{
	"k": 1000, "l": 100000, "lakh": 100000, "lac": 100000, "cr": 10000000,
}

// Fraction words, in thousandths. डेढ़ (1½) and ढाई (2½) are numbers on
// their own; सवा (+¼), साढ़े (+½) and पौने (−¼) change the number after them,
// and before a scale alone mean 1¼, 1½ and ¾ of it ("सवा लाख", "पौने सौ").
var (
	wholeFractions = map[string]int64{
		"डेढ": 1500, "dedh": 1500, "derh": 1500, "ded": 1500, "dedhh": 1500,
		"ढाई": 2500, "अढाई": 2500, "dhai": 2500, "dhaai": 2500, "adhai": 2500, "dhaee": 2500,
		"आधा": 500, "आधे": 500, "aadha": 500, "adha": 500, "aadhe": 500, "adhe": 500, "half": 500,
	}
	fractionModifiers = map[string]struct{ add, alone int64 }{
		"सवा": {250, 1250}, "sava": {250, 1250}, "savaa": {250, 1250}, "sawa": {250, 1250}, "sawaa": {250, 1250},
		"साढे": {500, 1500}, "sadhe": {500, 1500}, "saadhe": {500, 1500}, "saade": {500, 1500}, "sade": {500, 1500}, "sarhe": {500, 1500},
		"पौने": {-250, 750}, "paune": {-250, 750}, "pone": {-250, 750},
	}
)

// zeroPhrases say "none" where a count is asked.
var zeroPhrases = [][]string{
	{"कोई", "नहीं"}, {"कोई", "भी", "नहीं"}, {"एक", "भी", "नहीं"}, {"कुछ", "नहीं"}, {"कुछ", "भी", "नहीं"},
	{"koi", "nahi"}, {"koi", "nhi"}, {"koi", "nahin"}, {"koi", "bhi", "nahi"}, {"ek", "bhi", "nahi"}, {"ek", "bhi", "nhi"},
	{"kuch", "nahi"}, {"kuchh", "nahi"}, {"kuch", "nhi"},
	{"none"}, {"nil"}, {"nill"}, {"nothing"}, {"no", "one"}, {"nobody"},
}

// Words that make a number approximate, a bound or a range: the reply is
// then not taken as that number.
var (
	approxWords = map[string]bool{
		"लगभग": true, "करीब": true, "करीबन": true, "तकरीबन": true, "आसपास": true, "अंदाजन": true, "अंदाज": true, "अनुमान": true,
		"अनुमानित": true, "शायद": true, "lagbhag": true, "lagbag": true, "lgbhg": true, "lagbhg": true, "kareeb": true, "karib": true,
		"kareb": true, "kariban": true, "takriban": true, "taqriban": true, "takreeban": true, "aaspaas": true, "aspaas": true,
		"andazan": true, "andaza": true, "anuman": true, "approx": true, "approximately": true, "around": true, "about": true,
		"roughly": true, "nearly": true, "almost": true, "shayad": true, "maybe": true, "estimated": true,
	}
	// vagueWords make a scale vague: "कई लाख", "कुछ हज़ार".
	vagueWords = map[string]bool{
		"कई": true, "कुछ": true, "बहुत": true, "सैकडों": true, "हजारों": true, "लाखों": true, "करोडों": true,
		"kai": true, "kuch": true, "kuchh": true, "bahut": true, "few": true, "several": true, "many": true,
		"hazaron": true, "lakhon": true, "saikdon": true,
	}
	moreWords = map[string]bool{
		"ज्यादा": true, "जादा": true, "अधिक": true, "ऊपर": true, "zyada": true, "jyada": true, "jada": true, "ziyada": true,
		"zada": true, "adhik": true, "upar": true, "uper": true, "more": true, "above": true, "over": true, "plus": true,
		"atleast": true, "least": true,
	}
	lessWords = map[string]bool{
		"कम": true, "तक": true, "kam": true, "tak": true, "less": true, "below": true, "under": true, "upto": true,
		"within": true, "max": true, "maximum": true, "most": true,
	}
	// Two numbers joined by one of these are a range: "30 से 35", "30 to 35".
	rangeJoiners = map[string]bool{
		"से": true, "se": true, "to": true, "या": true, "ya": true, "or": true, "-": true, "–": true, "—": true, "/": true,
	}
	// imperativeBefore are verbs after which दो means "give", not two: "बता दो".
	imperativeBefore = map[string]bool{
		"बता": true, "कर": true, "दे": true, "लिख": true, "डाल": true, "भेज": true, "bata": true, "kar": true, "de": true,
		"likh": true, "dal": true, "daal": true, "bhej": true, "chhod": true, "छोड": true,
	}
	// Money words: currency signs and words, "only", "/-".
	moneyWords = map[string]bool{
		"₹": true, "rs": true, "inr": true, "रु": true, "रू": true, "रुपये": true, "रुपए": true, "रुपया": true, "rupees": true,
		"rupaye": true, "rupay": true, "rupaiya": true, "rupee": true, "rupya": true, "रूपये": true, "रूपए": true, "only": true,
		"मात्र": true, "केवल": true, "सिर्फ": true,
	}
)
