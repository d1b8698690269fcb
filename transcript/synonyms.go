package transcript

// builtinSynonyms are common abbreviations and synonyms of international news: general
// knowledge, each group a set of words or phrases that mean the same thing. A member written
// in capitals ("WHO", "US", "IT") is an abbreviation that collides with a common word; the
// matcher treats it as the abbreviation only when the user types it in capitals.
var builtinSynonyms = [][]string{
	// Health.
	{"covid", "covid-19", "covid19", "coronavirus", "sars-cov-2", "corona"},
	{"pandemic", "epidemic"},
	{"WHO", "world health organization", "world health organisation", "OMS"},
	{"healthcare", "health care"},
	{"ppe", "personal protective equipment"},
	{"vaccine", "vaccination", "jab"},
	{"doctor", "physician"},
	{"hospital", "clinic"},
	{"quarantine", "lockdown", "self-isolation"},
	// Organisations.
	{"un", "united nations", "onu"},
	{"unsc", "un security council", "security council"},
	{"unga", "un general assembly", "general assembly"},
	{"eu", "european union"},
	{"nato", "north atlantic treaty organization", "north atlantic alliance", "otan"},
	{"sco", "shanghai cooperation organisation", "shanghai cooperation organization", "OCS"},
	{"asean", "association of southeast asian nations"},
	{"brics", "brazil russia india china south africa"},
	{"imf", "international monetary fund"},
	{"wto", "world trade organization", "world trade organisation"},
	{"g7", "group of seven"},
	{"g20", "group of twenty"},
	{"opec", "organization of the petroleum exporting countries"},
	{"iaea", "international atomic energy agency"},
	{"unesco", "united nations educational scientific and cultural organization"},
	{"unicef", "united nations children's fund"},
	{"osce", "organization for security and co-operation in europe"},
	{"cis", "commonwealth of independent states"},
	{"ngo", "non-governmental organization", "non-governmental organisation"},
	// Places.
	{"US", "usa", "u.s.", "united states", "united states of america"},
	{"uk", "u.k.", "united kingdom", "britain", "great britain"},
	{"hk", "hong kong"},
	{"prc", "people's republic of china", "china"},
	{"uae", "united arab emirates"},
	{"drc", "democratic republic of the congo"},
	{"st petersburg", "saint petersburg", "st. petersburg", "spb", "piter"},
	// Events.
	{"host", "hosts", "hosted", "hosting", "held", "take place", "takes place", "taking place"},
	// Economy.
	{"gdp", "gross domestic product"},
	{"economy", "economic", "econ"},
	{"downturn", "recession", "slump"},
	{"trade", "commerce"},
	{"currency", "currencies", "money"},
	{"loan", "credit", "lending"},
	{"unemployment", "joblessness"},
	{"food security", "food supply"},
	{"sanctions", "embargo"},
	{"IT", "information technology", "ict", "information and communication technologies"},
	{"ai", "artificial intelligence"},
	{"cybersecurity", "cyber security", "information security", "cyber"},
	{"hacker", "hackers", "attacker", "attackers", "cybercriminal", "cybercriminals", "cyber criminals"},
	{"hack", "hacked", "hacking", "cyberattack", "cyber attack", "cyber-attack", "attack", "attacks", "attacked"},
	{"technology", "technologies", "tech"},
	// Officers and measures of companies, markets and hospitals, typed as abbreviations.
	{"ceo", "chief executive", "chief executive officer"},
	{"coo", "chief operating officer"},
	{"cfo", "chief financial officer"},
	{"cio", "chief information officer"},
	{"cto", "chief technology officer"},
	{"cpi", "consumer price index", "consumer prices", "consumer price inflation"},
	{"fx", "foreign exchange", "forex"},
	{"icu", "intensive care", "intensive care unit", "critical care"},
	{"ED", "emergency department", "emergency room", "accident and emergency", "a&e"},
	// Politics and security.
	{"president", "head of state"},
	{"prime minister", "premier", "pm"},
	{"minister of foreign affairs", "foreign minister"},
	{"ministry of foreign affairs", "foreign ministry", "mfa"},
	{"secretary-general", "secretary general", "sec gen", "secgen"},
	{"summit", "leaders' meeting"},
	{"terrorism", "terror"},
	{"combat", "fight", "tackle", "counter"},
	{"three evils", "terrorism separatism and extremism"},
	{"counter-terrorism", "antiterrorist", "anti-terrorism", "counterterrorism"},
	{"RATS", "regional antiterrorist structure", "regional anti-terrorist structure"},
	{"national security", "natsec"},
	{"military", "armed forces", "army"},
	{"law", "legislation", "bill"},
	{"dispute", "conflict", "clash"},
	{"border", "frontier"},
	{"safety", "security"},
	{"world", "global", "worldwide"},
	{"cooperation", "co-operation", "collaboration"},
	{"organisation", "organization", "org", "orgs", "body", "bodies"},
	{"agreement", "treaty", "accord"},
	{"aimed", "directed", "targeted"},
	{"meeting", "session", "talks"},
	{"online", "virtual", "video conference", "videoconference", "video call", "zoom"},
	// Infrastructure failures, as readers name them and as operators' briefings do.
	{"blackout", "power cut", "power outage", "outage", "power failure", "loss of supply", "loss of power"},
	{"postpone", "delay", "reschedule"},
	{"cancel", "call off"},
	{"attend", "take part", "participate"},
	{"collapse", "fall apart", "break up", "breakup", "break-up", "disintegration"},
	{"consequences", "fallout", "aftermath", "repercussions"},
	{"medical personnel", "medical staff", "medical workers", "health workers", "healthcare workers", "medics"},
	{"children", "kids"},
	{"drawings", "drawing", "art", "artwork", "artworks", "paintings", "pictures"},
	{"saying", "proverb"},
	{"exercises", "drills"},
	{"infected", "sick"},
	{"attention", "focus", "emphasis"},
	{"in the future", "going forward", "from now on", "in future"},
	{"license", "licence"},
	{"weakening", "weaker", "weaken", "weakened"},
	// Chat abbreviations of general words.
	{"year", "yr"},
	{"years", "yrs"},
	{"international", "intl"},
	{"government", "govt"},
	{"people", "ppl"},
}

// BuiltinSynonyms returns the built-in list of common abbreviations and synonyms for news
// transcripts (COVID/coronavirus, UN/United Nations, ...). Each call returns a fresh copy.
func BuiltinSynonyms() [][]string {
	out := make([][]string, len(builtinSynonyms))
	for i, g := range builtinSynonyms {
		out[i] = append([]string(nil), g...)
	}
	return out
}
