// Package rostergen makes up large rosters for benchmarks: people with
// common Hindi names in Uttar Pradesh's 18 divisions and 75 districts,
// about ten blocks a district, gram panchayats of about fifteen people,
// and SHGs of about twelve members in clusters of about ten SHGs — the
// shape of the state's rural programmes, with a few urban bodies,
// officers, coordinators and admins. The same n and seed give the same
// roster.
package rostergen

import (
	"fmt"
	"iter"
	"math/rand/v2"

	"github.com/saathi-bot/saathi/store/roster"
)

// divisions are UP's divisions and their districts.
var divisions = []struct {
	name      string
	districts []string
}{
	{"आगरा", []string{"आगरा", "फ़िरोज़ाबाद", "मैनपुरी", "मथुरा"}},
	{"अलीगढ़", []string{"अलीगढ़", "एटा", "हाथरस", "कासगंज"}},
	{"प्रयागराज", []string{"प्रयागराज", "कौशाम्बी", "फ़तेहपुर", "प्रतापगढ़"}},
	{"आज़मगढ़", []string{"आज़मगढ़", "बलिया", "मऊ"}},
	{"बरेली", []string{"बरेली", "बदायूँ", "पीलीभीत", "शाहजहाँपुर"}},
	{"बस्ती", []string{"बस्ती", "संत कबीर नगर", "सिद्धार्थनगर"}},
	{"चित्रकूट धाम", []string{"बाँदा", "चित्रकूट", "हमीरपुर", "महोबा"}},
	{"देवीपाटन", []string{"गोंडा", "बहराइच", "बलरामपुर", "श्रावस्ती"}},
	{"अयोध्या", []string{"अयोध्या", "अम्बेडकर नगर", "सुल्तानपुर", "बाराबंकी", "अमेठी"}},
	{"गोरखपुर", []string{"गोरखपुर", "देवरिया", "कुशीनगर", "महराजगंज"}},
	{"झाँसी", []string{"झाँसी", "जालौन", "ललितपुर"}},
	{"कानपुर", []string{"कानपुर नगर", "कानपुर देहात", "इटावा", "औरैया", "फ़र्रुख़ाबाद", "कन्नौज"}},
	{"लखनऊ", []string{"लखनऊ", "उन्नाव", "रायबरेली", "सीतापुर", "हरदोई", "लखीमपुर खीरी"}},
	{"मेरठ", []string{"मेरठ", "बुलंदशहर", "ग़ाज़ियाबाद", "गौतम बुद्ध नगर", "हापुड़", "बागपत"}},
	{"मिर्ज़ापुर", []string{"मिर्ज़ापुर", "सोनभद्र", "भदोही"}},
	{"मुरादाबाद", []string{"मुरादाबाद", "बिजनौर", "रामपुर", "अमरोहा", "सम्भल"}},
	{"सहारनपुर", []string{"सहारनपुर", "मुज़फ़्फ़रनगर", "शामली"}},
	{"वाराणसी", []string{"वाराणसी", "जौनपुर", "ग़ाज़ीपुर", "चंदौली"}},
}

// places are village and block names, combined into gram panchayats.
var places = []string{
	"रामपुर", "सीतापुर", "मधुबन", "शिवगढ़", "चंदनपुर", "बेलहर", "खैराही", "मैथा", "म्योरपुर", "चोपन",
	"दुद्धी", "बभनी", "नगवाँ", "घोरावल", "अमरपुर", "हरिहरपुर", "देवरी", "गौरा", "करौंदी", "पिपरा",
	"बरगढ़", "सोनपुर", "कमलपुर", "लालगंज", "मोहनपुर", "भवानीपुर", "कुसुमी", "सलेमपुर", "बाँसगाँव", "नरैनी",
	"महुआ", "जमुनीपुर", "कटरा", "बिहारीपुर", "धनौरा", "गंगापुर", "बिसवाँ", "मछलीशहर", "सरायमीर", "फूलपुर",
	"कोरांव", "मेजा", "हंडिया", "सोरांव", "बहादुरपुर", "जसराना", "टूंडला", "बरहन", "अकोला", "खेरागढ़",
}

var suffixes = []string{"", " खुर्द", " कलाँ", " पूर्वी", " पश्चिमी", " बुज़ुर्ग"}

var (
	women   = []string{"सरिता", "अनीता", "सुनीता", "रीता", "गीता", "सीमा", "पूजा", "कविता", "ममता", "राधा", "सावित्री", "उर्मिला", "किरण", "मीना", "शांति", "पुष्पा", "लक्ष्मी", "आशा", "रेखा", "सुमन"}
	men     = []string{"राजेश", "राकेश", "सुरेश", "रमेश", "विजय", "अजय", "संजय", "मनोज", "अशोक", "राम कुमार", "श्याम लाल", "विनोद", "दिनेश", "मुकेश", "प्रमोद", "अनिल", "सुनील", "हरिश्चंद्र", "रामप्रसाद", "जगदीश"}
	surname = []string{"यादव", "सिंह", "वर्मा", "मौर्य", "प्रजापति", "राजभर", "चौहान", "पाल", "गुप्ता", "शर्मा", "दुबे", "तिवारी", "पटेल", "कुशवाहा", "निषाद", "सोनकर", "कश्यप", "पासवान", "बिंद", "विश्वकर्मा"}
	shgName = []string{"लक्ष्मी", "सरस्वती", "दुर्गा", "गायत्री", "जय माँ काली", "उजाला", "प्रगति", "आशा", "किरण", "सहेली", "उन्नति", "जागृति", "एकता", "शक्ति", "संतोषी माँ"}
)

// Phones start at this number: a range the bench's registrations (98…)
// and the sample roster do not use.
const firstPhone = 7000000000

// Phone is person i's mobile number, as a file would have it.
func Phone(i int) string { return fmt.Sprint(firstPhone + i) }

// Sizes of the made-up geography.
const (
	blocksPerDistrict = 10
	perGP             = 15  // people per gram panchayat: 1 pradhan, ward members, SHG members
	perSHG            = 12  // members per SHG
	shgsPerCluster    = 10  // SHGs per cluster
	coordEvery        = 500 // one block coordinator in this many people
)

// District is the district person i is in, and Block their block: a bench
// asks for people by them.
func District(i int) (division, district string) {
	d := (i / (perGP * 80)) % 75 // 80 gram panchayats in a row per district, then the next
	for _, dv := range divisions {
		if d < len(dv.districts) {
			return dv.name, dv.districts[d]
		}
		d -= len(dv.districts)
	}
	return "", ""
}

// Block is the block of person i.
func Block(i int) string {
	gp := i / perGP
	_, district := District(i)
	return places[(len(district)+gp/8)%len(places)] // 8 gram panchayats a block in a row
}

// People is n people, the same for the same n and seed.
func People(n int, seed uint64) iter.Seq[roster.Person] {
	return func(yield func(roster.Person) bool) {
		r := rand.New(rand.NewPCG(seed, 14))
		for i := range n {
			if !yield(person(r, i)) {
				return
			}
		}
	}
}

// person i: in gram panchayat i/perGP of their district and block.
func person(r *rand.Rand, i int) roster.Person {
	division, district := District(i)
	block := Block(i)
	gp := i / perGP
	village := places[(gp*7+len(block))%len(places)] + suffixes[gp%len(suffixes)]
	p := roster.Person{
		Phone: Phone(i), Division: division, District: district, Block: block,
		Body: "ग्राम पंचायत " + village, Language: "hi",
	}
	female := r.IntN(2) == 0
	if female {
		p.Name = women[r.IntN(len(women))] + " " + surname[r.IntN(len(surname))]
	} else {
		p.Name = men[r.IntN(len(men))] + " " + surname[r.IntN(len(surname))]
	}
	switch k := i % perGP; {
	case i == 0:
		p.Role, p.Division, p.District, p.Block, p.Body = roster.RoleAdmin, "", "", "", ""
	case i%coordEvery == 1:
		p.Role, p.Body = roster.RoleCoordinator, "" // a block's coordinator
	case i%(coordEvery*20) == 2:
		p.Role, p.Block, p.Body = roster.RoleCoordinator, "", "" // a district's
	case i%997 == 3:
		p.Designation, p.Body = "bdo", ""
	case i%89 == 4:
		p.Designation = "panchayat_sachiv"
	case k == 0:
		p.Role = roster.RolePradhan
	case k < 4:
		p.Role, p.Ward = roster.RoleWardMember, fmt.Sprint(k)
	default: // the SHGs of the gram panchayat
		p.Role = roster.RoleSHGMember
		shg := i / perSHG
		p.SHG = fmt.Sprintf("%s स्वयं सहायता समूह (%s-%d)", shgName[shg%len(shgName)], village, shg%100)
		p.Cluster = fmt.Sprintf("%s-%d", block, shg/shgsPerCluster%100)
	}
	return p
}
