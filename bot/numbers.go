package bot

import (
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"transcriptbot/matcher"
	"transcriptbot/transcript"
)

// numStatus classifies a number request.
type numStatus int

const (
	numOK        numStatus = iota // a positive number (maybe out of range)
	numZero                       // 0
	numNegative                   // below zero
	numHuge                       // too large to represent sensibly
	numMalformed                  // looks like a number but is not an integer ("3.5", "3a")
)

// hugeNumber is where numbers stop being counted: anything above is "huge".
const hugeNumber = 1_000_000_000_000

// numRequest is a parsed request for an answer by number.
type numRequest struct {
	status numStatus
	n      int    // the number, when status is numOK
	raw    string // the number as typed, for messages
	// plain: the question is named by a keyword ("question 3", "q3", "#3") or as "the third
	// one", not by a bare number or ordinal.
	plain bool
}

// requestKeywords name a question ("question 3", "q3", "#3", "no. 3"): the words for the
// question, for its answer and for "number", in the languages chats mix in.
var requestKeywords = union(questionKeywords, answerKeywords, numberishKeywords)

// questionKeywords are the words for a question.
var questionKeywords = setOf("q", "qn", "ques", "question", "questions",
	// Hindi and Urdu as South Asian users type them in Latin letters ("teesra sawal kya tha"),
	// and in their own scripts ("سوال نمبر 4 kya tha", "प्रश्न 3 का उत्तर").
	"sawal", "sawaal", "savaal", "saval", "سوال", "سوالات", "सवाल", "प्रश्न",
	// Portuguese ("alguém pode mandar a pergunta número 3?", "a resposta da questão 5").
	"pergunta", "perguntas", "questão", "questao",
	// Tagalog, as Taglish chats type it ("pa-send po ng tanong 4 at sagot").
	"tanong",
	// Vietnamese "câu hỏi số 1" (question number 1), with its diacritics or without.
	"câu", "hỏi", "cau", "hoi",
	// Swahili ("nipe swali namba saba na jibu yake") and Spanish ("la pregunta 3 y su
	// respuesta").
	"swali", "maswali", "pregunta", "preguntas",
	// Indonesian and Malay, with the suffix "-nya" (its) as chats attach it ("bisa kirimin
	// pertanyaan no 4 sama jawabannya", "soalan nombor 7 tu apa").
	"pertanyaan", "pertanyaannya", "soalan", "soal",
	// Bengali as Bangladeshi chats type it in Latin letters ("3 number proshno ar uttor ta
	// din").
	"proshno", "prosno", "proshnota", "proshnoti",
	// Arabic as Egyptian and Gulf chats type it in Arabizi, digits for the letters Latin
	// lacks ("7ad yeb3atly so2al rakam 3 w el egaba").
	"so2al", "su2al", "sou2al", "so2aal", "as2ela", "as2ila",
	// Turkish, with the case endings chats attach ("10. soruyu ve cevabını atabilir misiniz").
	"soru", "soruyu", "sorusu", "sorunun", "sorular", "soruları", "sorulari",
	// Korean, with the particles chats attach ("4번 질문 answer 좀 보내주세요", "7번 질문이랑 답").
	"질문", "질문이", "질문은", "질문을", "질문의", "질문이랑", "질문하고", "질문도", "문항", "문제",
	// Polish, with the case endings chats attach and often without diacritics ("co było w
	// pytaniu 5?"), Ukrainian and Russian in Cyrillic and as typed in Latin letters ("skyn'te
	// pytannya 3", "otpravte vopros 9").
	"pytanie", "pytania", "pytaniu", "pytaniem", "pytań", "pytan", "питання", "питанні",
	"pytannia", "pytannya", "pytannja", "pytanni", "вопрос", "вопроса", "вопросе", "вопросу",
	"vopros", "voprosa", "voprose", "voprosu",
	// German ("kann jemand Frage 2 mit Antwort posten?", "die fünfte Frage"), Dutch ("vraag
	// 9 — what was asked?"), and Danish, Norwegian and Swedish ("spørgsmål 3 og svaret").
	"frage", "fragen", "vraag", "vragen", "spørgsmål", "spørsmål", "fråga", "frågan",
	"sporgsmal", "sporsmal", "fraga",
	// Italian ("mandatemi la domanda 4 con la risposta").
	"domanda", "domande",
	// Uzbek and Tajik, in Latin letters and in Cyrillic, with the case endings chats attach
	// ("3-savol nima edi?", "9chi savolni javobi bilan tashlab yuboringlar"); Kazakh
	// ("10-shy suraq qandai edi?", "3-ші сұрақ"), Kyrgyz ("5-suroo") and Azerbaijani ("4-cü
	// sual"); Persian ("سؤال ۳").
	"savol", "savoli", "savolni", "savolning", "savolga", "savolini", "savollar", "savollarni",
	"савол", "саволи", "саволни", "саволнинг", "suraq", "suraqty", "suraǵy", "suragy", "suraky",
	"suraqtyn", "сұрақ", "сұрақты", "сұрағы", "сурак", "suroo", "suroonu", "суроо", "суроону",
	"суроосу", "sual", "sualı", "suali", "sualın", "sualin", "سؤال", "پرسش")

// answerKeywords are the words for an answer, in the same languages ("question no. 7 ka
// jawab", "la question numéro 2 avec la réponse"). After an ordinal they may mean the bot's
// own reply ("thanks for the last answer"), so only a word for the question makes an ordinal
// name one in looseNumberRequest.
var answerKeywords = setOf("answer", "answers", "ans", "jawab", "jawaab", "جواب", "जवाब", "उत्तर", "resposta", "sagot",
	"jibu", "majibu", "réponse", "reponse", "réponses", "reponses", "respuesta", "jawaban",
	"jawabannya", "jawapan", "jawapannya", "uttor", "uttorta", "uttar", "egaba", "igaba",
	"ejaba", "ijaba", "egabet", "cevap", "cevabı", "cevabi", "cevabını", "cevabini", "yanıt",
	"yanıtı", "yanit", "yaniti", "답", "답변", "대답", "답이", "답을", "답도", "답변이", "답변을",
	"답변도", "답변은", "대답은", "odpowiedź", "odpowiedz", "odpowiedzi", "odpowiedzią",
	"odpowiedzia", "відповідь", "відповіді", "vidpovid", "vidpovid'", "vidpovidi", "ответ",
	"ответа", "ответом", "otvet", "otveta", "otvetom", "antwort", "antworten", "antwoord",
	"antwoorden", "svar", "svaret", "risposta", "risposte", "javob", "javobi", "javobini",
	"javobni", "javoblari", "жавоб", "жавоби", "жавобини", "jauap", "jauaby", "jauabyn",
	"jawap", "жауап", "жауабы", "жауабын", "joop", "жооп", "жообу", "cavab", "cavabı", "cavabi",
	"پاسخ")

// numberishKeywords say "number", not "question" or "answer", in the same languages (Russian
// speakers' "question nomer 8", Vietnamese "số", "item no. 2" as a reviewer numbers its
// questions): beside a number they name it ("number eight"), but a message must also hold a
// word for the question or its answer before looseNumberRequest reads it as a request ("who
// is the number 1 tennis player" holds none). ("so" stays an English filler: as a keyword it
// would make "so 3" plain.)
var numberishKeywords = setOf("#", "number", "no", "nr", "num", "n°", "№", "nomer", "numero",
	"número", "numéro", "nummer", "szám", "számú", "namba", "nomor", "nombor", "số", "item",
	"rakam", "ra2am", "ra8am", "numara", "numaralı", "numarali", "nolu", "번호", "numer",
	"номер", "نمبر", "नंबर", "raqam", "raqamli", "рақам", "nomerli", "nömrə", "nomre")

// union returns the words of all the sets.
func union(sets ...map[string]bool) map[string]bool {
	out := map[string]bool{}
	for _, set := range sets {
		for w := range set {
			out[w] = true
		}
	}
	return out
}

// politeFillers and chat noise may surround any number request ("show me 3, please", "yo
// repeat q7 pls").
var politeFillers = setOf("please", "pls", "plz", "show", "give", "me", "the", "full",
	"someone", "somebody", "anyone", "anybody", "exactly", "precisely", "actually",
	"whole", "complete", "entire", "text", "of", "to", "for", "open", "read", "get", "see",
	"display", "send", "go", "jump", "just", "only", "now", "then", "ok", "okay", "hi", "hello",
	"hey", "thanks", "thx", "thank", "ty", "repeat", "again", "out", "aloud", "loud", "its",
	"it", "a", "an", "this", "that", "kindly", "quickly", "quick", "u", "ya", "gimme", "lemme",
	"yo", "bro", "bruh", "lol", "lmao", "ngl", "sir", "guys", "bot", "dude", "mate", "um", "uh", "or",
	"hmm", "so", "oh", "well", "remind", "view", "print", "here", "very", "reproduce",
	// Sent again ("could somebody repost q9 for me, missed it").
	"repost", "re-post", "resend", "re-send", "reshare", "re-share",
	// Assent that opens a reply in a chat ("aye send us number 6 again", "yeah q3 pls").
	"yeah", "yes", "yep", "yup", "aye", "sure", "alright",
	// Dutch and Scandinavian please and thanks ("paste question 4, alsjeblieft").
	"alsjeblieft", "alstublieft", "graag", "bedankt", "dank", "tak", "takk", "tack", "snälla",
	"return", "verbatim", "together", "with", "put", "provide", "short", "brief", "briefly",
	// Formal politeness ("would you be good enough to remind me of the third question",
	// "what, if I may ask, was ...", "put to Mr Norov", "the gist of his reply").
	"be", "good", "enough", "if", "may", "mr", "mrs", "ms", "dr", "gist", "wording", "worded",
	// "Would you be so kind as to remind me ...", "the exact text of ...", and the hedges
	// of someone unsure of the number ("number ten I think?").
	"kind", "as", "exact", "think", "guess", "believe", "maybe", "perhaps",
	// The salutations of a formal South Asian or West African message ("RESPECTED SIR PLEASE
	// SEND QUESTION NO. 2 AND ITS ANSWER", "janab sawal 3 bhej dein").
	"respected", "respectfully", "honourable", "honorable", "esteemed", "madam", "maam", "ma'am",
	"sahab", "sahib", "janab",
	// Hindi and Urdu in Latin letters: show, tell, send, quickly, again, just.
	"dikhao", "batao", "bataiye", "bata", "bhejo", "bhej", "bhejiye", "jaldi", "dobara",
	"dubara", "zara", "jara",
	// Vietnamese: the vocative "ơi" ("bot ơi"), read, for, me or you (em, anh, chị), the
	// softeners "với", "nhé", "ạ", help, send, see; with diacritics or without.
	"ơi", "đọc", "cho", "em", "anh", "chị", "với", "nhé", "ạ", "giúp", "gửi", "xem",
	"oi", "doc", "chi", "voi", "nhe", "giup", "gui",
	// Thai politeness particles as typed in Latin letters ("can u paste the 5th question krub").
	"krub", "khrap", "krap", "kub", "khrub", "kha", "ka", "na", "naka", "nakrub",
	// Singlish and Manglish particles ("wat was q3 again ah", "send q5 pls lah").
	"ah", "lah", "leh", "lor", "meh", "hor", "sia",
	// Thanks and softeners in Chinese, Japanese and Korean as typed in Latin letters
	// ("number five question and answer pls xie xie", "... the first question, ne?").
	"xie", "xiexie", "ne", "arigato", "arigatou", "onegai", "onegaishimasu", "sumimasen",
	"kamsahamnida", "gamsahamnida", "gomawo", "juseyo",
	// Russian as typed in Latin letters: please, thanks, hi, and "bro" ("bratan send me 3rd
	// question", "pozhaluysta show me seventh question").
	"pozhaluysta", "pozhalujsta", "pozhalusta", "pojaluysta", "pozhaluista", "spasibo",
	"privet", "bratan", "brat", "bratuha", "davai", "davay",
	// Arabic as typed in Latin letters and Arabizi ("ya7abibi show me question number 9").
	"habibi", "ya7abibi", "yahabibi", "habibti", "yalla", "shukran", "inshallah", "wallah",
	"akhi", "ukhti", "salam", "marhaba", "fadlak", "fadlik",
	// Nigerian Pidgin and Nigerian English ("abeg send number 3 and the answer", "oga send
	// am", "biko", "send question 9 with di answer make I forward am": "make I", so that I;
	// "am", it; "di", the), and Tagalog and Taglish ("pa-send po ng number 6 with answer",
	// "question 9 po pakopya ng buong sagot", "pa-post naman po ng Q10 at sagot nya, di ko
	// mahanap").
	// Portuguese, as Brazilian chats type it ("gente, alguém pode mandar aqui a pergunta 3
	// pfv", "valeu").
	"gente", "pessoal", "alguém", "alguem", "pode", "manda", "mandar", "aqui", "pfv", "pf",
	// Italian ("raga mandatemi la domanda 4 con la risposta", "qualcuno può postare la
	// domanda 3? grazie"): guys, send me, someone, can, with, please, thanks, hi.
	"raga", "ragazzi", "mandatemi", "mandami", "qualcuno", "può", "puo", "potete", "postare",
	"con", "il", "favore", "grazie", "ciao", "mille", "incollare", "rimandate", "rimandami",
	"sua", "suo",
	"favor", "obrigado", "obrigada", "valeu", "oi", "olá", "ola",
	// "Can anyone copy and paste the answer to question 2".
	"copy", "copy-paste",
	// A letter's courtesies ("I should be most grateful if you would let me see ...", "Yours
	// faithfully"; a signature after the sign-off is dropped: matcher.DropSignature).
	"grateful", "most", "should", "let", "whatever", "yours", "faithfully", "sincerely",
	"truly", "regards", "best", "wishes", "warm", "warmest",
	// Their function words ("ng", "sa", "o") are questionFillers: "sa 2020" is no request.
	"abeg", "biko", "oga", "make", "am", "di", "po", "opo", "naman", "ulit", "lods", "pa-send",
	"pasend", "pa-post", "papost", "pa-help", "pahelp", "pa-share", "pashare", "pa-copy", "pakopya",
	"kopya", "paki", "pakisend", "pakipost", "pakishare", "salamat",
	// Swahili and Sheng, as Kenyan chats mix them with English ("msee tuma question 4 na
	// jibu yake", "naomba swali namba saba please", "nipe question ya tisa tafadhali"): send,
	// send me, give me, I ask for, please, mate, friends, just, here, its, all of it, to read,
	// thanks. ("na", and, is a Thai particle above.) And as a message wholly in Swahili asks
	// ("hebu nitumieni swali la sita na jibu lake pia"): send me (to several), come on, its
	// (a "jibu", answer, is "lake"), also, together with, that one, folks, friends, my
	// brothers.
	"tuma", "nitumie", "nipe", "naomba", "tafadhali", "msee", "wasee", "manze", "bana",
	"sasa", "tu", "hapa", "yake", "yote", "kusoma", "soma", "asante", "niaje",
	"nitumieni", "mnitumie", "tumeni", "tumia", "nipeni", "hebu", "ebu", "lake", "lote",
	"pia", "pamoja", "ile", "hiyo", "hilo", "lile", "jamani", "wakuu", "ndugu", "zangu",
	"wenzangu",
	// French ("svp la question numéro 2 avec la réponse", "je veux la Q6 en entier, merci",
	// "envoie-moi la dernière question"): the articles, with, and, whole, send, give, show,
	// me, please, thanks, hello; and Spanish "dame" (give me), "porfa", "por", "y" (and),
	// "su" (its).
	"la", "le", "les", "l'", "du", "des", "avec", "et", "entier", "entière", "entiere",
	"complète", "complet", "texte", "envoie", "envoyez", "envoyer", "envoie-moi", "donne",
	"donnez", "donne-moi", "montre", "montrez", "montre-moi", "moi", "svp", "stp", "s'il",
	"vous", "te", "plaît", "plait", "merci", "bonjour", "salut", "dame", "porfa", "por", "y", "su",
	// Spanish greetings and "pass me" ("hola, me pasáis la pregunta nueve?").
	"hola", "oye", "pasáis", "pasais", "pásame", "pasame", "pasas", "mándame", "mandame",
	// "Anyone got the full bit for question eleven?", "paste Q8 plus the answer", "q11 w/
	// answer", "kindly forward number 5 with the answer", "drop question 10 + answer in
	// thread", and greetings ("good evening all").
	"got", "bit", "plus", "w/", "w", "forward", "morning", "afternoon", "evening", "drop", "+",
	// "word for word".
	"word",
	// Indonesian and Malay: please, can, send (me), with, its content, all at once, paste,
	// summarize, "ya", "sih", "eh", "dong", "tu", "yg" ("tolong summarize jawapan soalan
	// ke-2", "bisa kirimin pertanyaan no 4 sama jawabannya gak").
	"tolong", "bisa", "boleh", "kirim", "kirimin", "kirimkan", "hantar", "sama", "dengan",
	"dgn", "isinya", "sekali", "summarize", "summarise", "sih", "eh", "dong", "tu", "yg",
	"yang", "gak", "tak", "nya", "dia", "terima", "kasih", "makasih", "guys",
	// Bengali in Latin letters: send, give, do, share, and, its, of, the (classifiers "ta",
	// "ti"), one, a request, a little, in the group, thanks, and the forms of address ("kindly
	// send question 2 ar tar answer, group e share korbo", "6 number question er answer ta
	// pathan pls", "question no 7 ta share koren").
	"pathan", "pathao", "pathaben", "pathiye", "din", "den", "dao", "diben", "koren",
	"korben", "korbo", "kore", "ar", "tar", "er", "ta", "ti", "ekta", "request", "ektu", "e",
	"apu", "vai", "bhai", "bhaiya", "dada", "didi", "dhonnobad")

// questionFillers make a message a question ("what about 2020?"), so they are allowed only
// when a keyword or an ordinal makes the number request plain ("what was question 3",
// "tell me the third one").
var questionFillers = setOf("what", "what's", "whats", "wat", "wut", "is", "was", "about",
	"tell", "i", "want", "need", "can", "could", "you", "would", "like", "us", "let's", "lets",
	"let", "do", "does", "did", "say", "says", "said", "ask", "asks", "asked", "in", "wanna",
	"i'd", "i'm", "im", "we", "my", "all", "abt", "bout", "wonder", "wondering",
	// Hindi and Urdu in Latin letters ("5th question kya tha aur uska answer?", "teesra
	// question kis baare mein tha", "last question yani 10th wala").
	"kya", "tha", "thi", "hai", "ka", "ki", "ke", "kis", "baare", "bare", "mein", "wala",
	"wali", "aur", "uska", "uski", "yani", "ne", "bola", "boli", "kaha", "pe", "par",
	// "What was asked" ("ninth question kya poocha gaya tha?").
	"poocha", "pucha", "puchha", "poochha", "gaya", "gayi", "gaye",
	// Nigerian Pidgin "what" ("wetin be question 4 and wetin he reply?"), Tagalog "what"
	// and "what again" ("item no. 2 ano ulit yung tanong at sagot").
	"wetin", "ano", "anong",
	// Portuguese ("qual é a primeira pergunta da coletiva e o que ele respondeu? não lembro")
	// and "may I have question 3".
	"qual", "é", "e", "da", "do", "de", "que", "ele", "ela", "respondeu", "disse", "não",
	"nao", "lembro", "have",
	// Pidgin and Tagalog function words ("send am", "pa-send po ng number 6", "buong sagot",
	// "di ko mahanap": I can't find it).
	"am", "una", "abi", "shey", "sef", "jare", "o", "nga", "ng", "yung", "ung", "ang",
	"buong", "buo", "lang", "di", "ko", "mahanap", "makita", "sa", "kay", "mo", "nyo", "niyo",
	// Swahili "I want" ("nataka kusoma answer yote"), "what", "was" (of a "swali", a
	// question, "lilikuwa"; of a number, "ilikuwa"), "asking", "about", "says", "said", "he
	// answered" ("swali la tatu lilikuwa linahusu nini?"); French "I", "want", "in", "what", "was" ("je veux la Q6",
	// "c'était quoi la question 3").
	"nataka", "nini", "lilikuwa", "ilikuwa", "linauliza", "inauliza", "liliuliza",
	"iliuliza", "linahusu", "inahusu", "lilihusu", "ilihusu", "kuhusu", "inasema",
	"ilisema", "linasema", "lilisema", "anasema", "alisema", "alijibu", "je", "veux", "voudrais", "en", "quoi", "quelle", "quel", "était", "etait",
	"c'était", "c'etait", "est",
	// Indonesian and Malay "what" ("q9 jawabannya apa guys").
	"apa", "apakah",
	// Bengali "what", "which", "was" ("3 number question ta ki chilo").
	"ki", "kon", "chilo",
	// Dutch ("kan iemand vraag 4 en het antwoord sturen"), Danish and Norwegian ("spørgsmål 3
	// og svaret"), Swedish ("kan någon skicka fråga 5 och svaret"): can, someone, the, of,
	// and, send, what was.
	"kan", "iemand", "het", "van", "sturen", "stuur", "wat", "was", "og", "nogen", "noen",
	"sende", "hvad", "hva", "var", "och", "någon", "nagon", "skicka", "vad",
	// German "what was ... again" ("was war nochmal die fünfte Frage?"), Italian "what was".
	"war", "nochmal", "noch", "mal", "cosa", "era",
	// Dutch "may I see ... again with", "can you (all)", "paste", "give", "show", "share"
	// ("mag ik de derde vraag nog eens zien met het antwoord?", "kunnen jullie vraag vijf
	// nog eens sturen?", "kan iemand de 2de vraag plakken").
	"mag", "ik", "nog", "eens", "zien", "met", "kunnen", "jullie", "even", "plakken", "geef",
	"toon", "delen", "posten", "aub", "ajb", "alsjeblieft",
	// Russian, in Cyrillic and as typed in Latin letters: send, show, give, remind, may I,
	// please, guys, anyone, with, and, which, was, what, there, about, thanks ("скиньте 5
	// вопрос с ответом плиз", "a mozhno 9-y vopros s otvetom?", "ребят, кто-нибудь, четвертый
	// вопрос скиньте").
	"скиньте", "скинь", "скиньте-ка", "пришлите", "пришли", "отправьте", "отправь", "покажите",
	"покажи", "дайте", "дай", "напомните", "напомни", "можно", "пожалуйста", "пожалуста",
	"плиз", "плз", "пж", "спс", "спасибо", "ребят", "ребята", "кто-нибудь", "кто-то", "кто",
	"нибудь", "с", "и", "а", "в", "во", "какой", "каким", "был", "была", "было", "что", "там", "про", "ещё",
	"еще", "раз", "мне", "нам", "его", "целиком", "полностью", "skin'te", "skinte", "skin'",
	"skin", "prishlite", "otprav'te", "otpravte", "pokazhite", "pokazhi", "daite", "dayte",
	"mozhno", "pozhaluysta", "pozhaluista", "pojaluista", "pliz", "spasibo", "sps",
	"rebyat", "rebyata", "kto-nibud'", "kto-nibud", "s", "kakoy", "kakoi", "byl", "chto",
	"tam", "pro", "eshche", "eshe", "esche")

// contextWords name the press conference and the people in it ("what did the journalist ask
// in question two", "the eighth question at the press conference"). They make a message about
// the transcript, so they are allowed only when the question is named plainly: a keyword
// ("question 2", "q2", "#2") or an ordinal with "question" or "one" ("the eighth question"),
// never a bare number or ordinal ("what did he say first", "press conference 2020").
var contextWords = union(eventWords, setOf("journalist", "journalists", "reporter", "reporters",
	"session", "speaker", "secretary",
	"general", "secretary-general", "he", "she", "they", "him", "them", "his", "her", "their",
	"who", "which", "answered", "reply", "replied", "response", "respond", "responded", "talk",
	"talked", "mention", "mentioned", "at", "on", "during", "from", "today", "today's", "were",
	"are", "there", "asking", "explain", "summarize", "summarise", "summary", "remember",
	"recall", "topic", "subject", "how", "post", "paste", "share", "bring", "up", "fetch",
	"find", "look", "check", "pull", "media", "sg", "gave", "given",
	// Where the question is being read out ("the 2nd question in this thread").
	"thread", "chat", "channel", "group", "list",
	// From, at and in in Swahili ("swali la saba kutoka kwenye press conference").
	"kutoka", "kwenye", "katika",
	// Where the reader followed it ("I missed Q11 on the livestream"), and the press
	// conference in Portuguese ("a primeira pergunta da coletiva").
	"livestream", "stream", "broadcast", "recording", "video", "coletiva", "entrevista",
	// His answer in Tagalog ("at sagot nya").
	"nya", "niya",
	// A question with its answer ("number five q&a from the presser?").
	"q&a", "q&as", "qna", "qnas",
	// Who asked it, and a question missed ("what was asked in question 6 and by whom?",
	// "which journalist asked question 6, and for which outlet?", "I missed the sixth
	// question, what was it?").
	"by", "whom", "outlet", "missed", "miss",
	// "Press conference" as Russian speakers transliterate it ("2nd question on press
	// konferenciya").
	"konferenciya", "konferencii", "konferentsiya", "konferentsii", "konferenciyu",
	"konferentsiyu", "presskonferenciya", "presskonferentsiya",
	// "I missed the end of the stream", "the last question (11) from yesterday's press
	// conference".
	"end", "yesterday"))

// lastWords name the last question ("the last question", Hindi and Urdu "aakhri sawal").
var lastWords = setOf("last", "final", "aakhri", "akhri", "aakhiri", "akhiri",
	// French, as typed with its accent or without ("la dernière question"), and Swahili
	// "mwisho" ("swali la mwisho").
	"dernière", "derniere", "dernier", "mwisho", "letzte", "letzten",
	// Indonesian and Malay ("yg pertanyaan terakhir, nomor 10"), Portuguese, Spanish and
	// Italian, with the accent or without ("a última pergunta", "la ultima pregunta"), and
	// Dutch ("de laatste vraag").
	"terakhir", "última", "ultima", "último", "ultimo", "laatste",
	// Russian, in Cyrillic and in Latin letters ("последний вопрос", "posledniy vopros").
	"последний", "последнего", "последнему", "последнем", "последняя", "posledniy",
	"poslednii", "posledny", "poslednego")

// numberWords are English cardinal and ordinal number words.
var (
	unitWords = map[string]int{
		"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
		"seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
		"thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
		"eighteen": 18, "nineteen": 19,
	}
	tensWords = map[string]int{
		"twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60,
		"seventy": 70, "eighty": 80, "ninety": 90,
	}
	scaleWords = map[string]int{
		"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
		"trillion": 1_000_000_000_000,
	}
	unitOrdinals = map[string]int{
		"zeroth": 0, "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5,
		"sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11,
		"twelfth": 12, "thirteenth": 13, "fourteenth": 14, "fifteenth": 15,
		"sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
		// Hindi and Urdu ordinals in Latin letters, as typed ("pehla sawal", "teesra question").
		"pehla": 1, "pehli": 1, "pahla": 1, "pahli": 1, "doosra": 2, "dusra": 2, "doosri": 2,
		"dusri": 2, "teesra": 3, "tisra": 3, "teesri": 3, "chautha": 4, "chotha": 4,
		"chauthi": 4, "panchwan": 5, "panchva": 5, "paanchva": 5, "chhatha": 6, "chhata": 6,
		"chhathi": 6, "satwan": 7, "satva": 7, "saatva": 7, "aathwan": 8, "athva": 8,
		"aathva": 8, "nauwan": 9, "nauva": 9, "nauvan": 9, "daswan": 10, "dasva": 10,
		"dasvan": 10,
		// Portuguese ordinals ("a primeira pergunta", "a sétima").
		"primeira": 1, "primeiro": 1, "segunda": 2, "segundo": 2, "terceira": 3,
		"terceiro": 3, "quarta": 4, "quarto": 4, "quinta": 5, "quinto": 5, "sexta": 6,
		"sexto": 6, "sétima": 7, "setima": 7, "sétimo": 7, "setimo": 7, "oitava": 8,
		"oitavo": 8, "nona": 9, "nono": 9, "décima": 10, "decima": 10, "décimo": 10,
		"decimo": 10,
		// French ordinals, with their accents or without ("la troisième question").
		"premier": 1, "première": 1, "premiere": 1, "deuxième": 2, "deuxieme": 2,
		"troisième": 3, "troisieme": 3, "quatrième": 4, "quatrieme": 4, "cinquième": 5,
		"cinquieme": 5, "sixième": 6, "sixieme": 6, "septième": 7, "septieme": 7,
		"huitième": 8, "huitieme": 8, "neuvième": 9, "neuvieme": 9, "dixième": 10,
		"dixieme": 10, "onzième": 11, "onzieme": 11, "douzième": 12, "douzieme": 12,
		// Spanish ordinals not spelt as the Portuguese ones ("la tercera pregunta").
		"primera": 1, "primero": 1, "tercera": 3, "tercero": 3, "cuarta": 4, "cuarto": 4,
		"séptima": 7, "septima": 7, "séptimo": 7, "septimo": 7, "octava": 8, "octavo": 8,
		"novena": 9, "noveno": 9,
		// Italian ordinals not spelt as the Portuguese or Spanish ones ("la prima domanda").
		"prima": 1, "primo": 1, "seconda": 2, "terza": 3, "terzo": 3, "sesta": 6, "sesto": 6,
		"settima": 7, "settimo": 7, "ottava": 8, "ottavo": 8,
		// German ordinals, with the endings an article gives them ("die fünfte Frage", "zur
		// dritten Frage").
		"erste": 1, "ersten": 1, "zweite": 2, "zweiten": 2, "dritte": 3, "dritten": 3,
		"vierte": 4, "vierten": 4, "fünfte": 5, "fünften": 5, "fuenfte": 5, "sechste": 6,
		"sechsten": 6, "siebte": 7, "siebten": 7, "achte": 8, "achten": 8, "neunte": 9,
		"neunten": 9, "zehnte": 10, "zehnten": 10,
		// Dutch ordinals ("de derde vraag", "wat was de eerste vraag").
		"eerste": 1, "tweede": 2, "derde": 3, "vierde": 4, "vijfde": 5, "zesde": 6,
		"zevende": 7, "achtste": 8, "negende": 9, "tiende": 10,
		// Russian ordinals typed in Latin letters, in the spellings chats use ("pokazhite
		// tretiy vopros", "pyatogo voprosa"); the Cyrillic ones, with every ending, are added
		// by russianOrdinals.
		"pervyy": 1, "pervyi": 1, "pervyj": 1, "perviy": 1, "pervy": 1, "pervogo": 1,
		"vtoroy": 2, "vtoroi": 2, "vtoroj": 2, "vtorogo": 2, "tretiy": 3, "tretii": 3,
		"tretij": 3, "tretyi": 3, "tret'ego": 3, "tretyego": 3, "tretego": 3,
		"chetvertyy": 4, "chetvertyi": 4, "chetvertiy": 4, "chetvertyj": 4, "chetvertogo": 4,
		"pyatyy": 5, "pyatyi": 5, "pyatiy": 5, "pyatyj": 5, "pyatogo": 5, "shestoy": 6,
		"shestoi": 6, "shestoj": 6, "shestogo": 6, "sedmoy": 7, "sedmoi": 7, "sed'moy": 7,
		"sedmogo": 7, "sed'mogo": 7, "vosmoy": 8, "vosmoi": 8, "vos'moy": 8, "vosmogo": 8,
		"vos'mogo": 8, "devyatyy": 9, "devyatyi": 9, "devyatiy": 9, "devyatyj": 9,
		"devyatogo": 9, "desyatyy": 10, "desyatyi": 10, "desyatiy": 10, "desyatyj": 10,
		"desyatogo": 10,
	}
	// foreignUnits are cardinal numbers in other languages people mix into English chats:
	// French, Portuguese, Spanish, and Swahili (whose ordinals are its cardinals after "ya" or
	// "la": "question ya tisa", the ninth question; "kwanza" and "pili" are its first and
	// second). Several are English words elsewhere ("sept", "nove", "tano", "sita"), so they
	// name a question only beside a keyword ("question sept", "swali namba saba"), never
	// alone; and each stands alone, never in a compound ("twenty deux").
	foreignUnits = map[string]int{
		"deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "sept": 7, "huit": 8, "neuf": 9,
		"dix": 10, "onze": 11, "douze": 12,
		"dois": 2, "duas": 2, "três": 3, "tres": 3, "quatro": 4, "cinco": 5, "seis": 6,
		"sete": 7, "oito": 8, "nove": 9, "dez": 10, "doze": 12,
		"dos": 2, "cuatro": 4, "siete": 7, "ocho": 8, "nueve": 9, "diez": 10, "doce": 12,
		"moja": 1, "kwanza": 1, "mbili": 2, "pili": 2, "tatu": 3, "nne": 4, "tano": 5,
		"sita": 6, "saba": 7, "nane": 8, "tisa": 9, "kumi": 10,
		// Dutch ("vraag vijf"; "een" is as often the article, so only "één").
		"één": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7, "acht": 8,
		"negen": 9, "tien": 10,
	}
	tensOrdinals = map[string]int{
		"twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50, "sixtieth": 60,
		"seventieth": 70, "eightieth": 80, "ninetieth": 90,
	}
	scaleOrdinals = map[string]int{
		"hundredth": 100, "thousandth": 1_000, "millionth": 1_000_000,
		"billionth": 1_000_000_000, "trillionth": 1_000_000_000_000,
	}
)

func init() { maps.Copy(unitOrdinals, russianOrdinals()) }

// russianOrdinals returns the Russian ordinals first to tenth in every gender and case an
// adjective takes ("пятый вопрос", "к пятому вопросу", "в пятом"), with ё and as typed with
// е ("четвёртый", "четвертый"), for unitOrdinals.
func russianOrdinals() map[string]int {
	out := map[string]int{}
	hard := []string{"ый", "ая", "ое", "ого", "ому", "ом", "ую", "ые", "ой"}
	stressed := []string{"ой", "ая", "ое", "ого", "ому", "ом", "ую", "ые"}
	soft := []string{"ий", "ья", "ье", "ьего", "ьему", "ьем", "ью", "ьи"}
	for stem, n := range map[string]int{"перв": 1, "четвёрт": 4, "четверт": 4, "пят": 5,
		"девят": 9, "десят": 10} {
		for _, e := range hard {
			out[stem+e] = n
		}
	}
	for stem, n := range map[string]int{"втор": 2, "шест": 6, "седьм": 7, "восьм": 8} {
		for _, e := range stressed {
			out[stem+e] = n
		}
	}
	for _, e := range soft {
		out["трет"+e] = 3
	}
	return out
}

// isNumberWord reports whether w can be part of a spelled-out number.
func isNumberWord(w string) bool {
	_, u := unitWords[w]
	_, t := tensWords[w]
	_, s := scaleWords[w]
	_, uo := unitOrdinals[w]
	_, to := tensOrdinals[w]
	_, so := scaleOrdinals[w]
	return u || t || s || uo || to || so
}

// isOrdinalWord reports whether w is an ordinal number word ("third", "hundredth").
func isOrdinalWord(w string) bool {
	_, uo := unitOrdinals[w]
	_, to := tensOrdinals[w]
	_, so := scaleOrdinals[w]
	return uo || to || so
}

// parseNumberWords reads a spelled-out number ("three", "twenty one", "one hundred and
// fifth", "third"). ok is false for sequences that are not a number ("one two"). Values
// beyond hugeNumber saturate there.
func parseNumberWords(words []string) (n int, ordinal, ok bool) {
	const (
		none = iota
		unit
		teen // 10..19: nothing smaller may follow
		tens
		scale
	)
	total, current, lastBig := 0, 0, 0
	last := none
	seenAny := false
	for i, w := range words {
		if ordinal {
			return 0, false, false // an ordinal ends the number
		}
		if w == "and" {
			if last != scale || i == len(words)-1 {
				return 0, false, false
			}
			continue
		}
		v, isUnit := unitWords[w]
		if !isUnit {
			if v, isUnit = unitOrdinals[w]; isUnit {
				ordinal = true
			}
		}
		if isUnit {
			if last == unit || last == teen || (last == tens && (v >= 10 || v == 0)) {
				return 0, false, false
			}
			current += v
			if v >= 10 {
				last = teen
			} else {
				last = unit
			}
			seenAny = true
			continue
		}
		v, isTens := tensWords[w]
		if !isTens {
			if v, isTens = tensOrdinals[w]; isTens {
				ordinal = true
			}
		}
		if isTens {
			if last == unit || last == teen || last == tens {
				return 0, false, false
			}
			current += v
			last = tens
			seenAny = true
			continue
		}
		v, isScale := scaleWords[w]
		if !isScale {
			if v, isScale = scaleOrdinals[w]; isScale {
				ordinal = true
			}
		}
		if isScale {
			if current == 0 {
				if seenAny && last != scale {
					return 0, false, false // "zero hundred"
				}
				current = 1 // "hundred", "thousand": one of them
			}
			if v == 100 {
				if current >= 100 {
					return 0, false, false // "two hundred hundred"
				}
				current *= 100
			} else {
				if lastBig != 0 && v >= lastBig {
					return 0, false, false // "two thousand three million"
				}
				total = saturate(total + current*v)
				current, lastBig = 0, v
			}
			last = scale
			seenAny = true
			continue
		}
		return 0, false, false
	}
	if !seenAny {
		return 0, false, false
	}
	return saturate(total + current), ordinal, true
}

func saturate(n int) int {
	if n > hugeNumber || n < 0 {
		return hugeNumber + 1
	}
	return n
}

// parseDigits reads a token of decimal digits, with an optional sign and an optional ordinal
// suffix ("3", "+3", "-3", "3rd", "21st"). It reports numMalformed for tokens that start like
// a number but are not one ("3.5", "3a", "1e9"), and ok=false for tokens that do not start
// like a number at all.
func parseDigits(tok string) (req numRequest, ordinal, ok bool) {
	req.raw = tok
	s := tok
	neg := false
	switch {
	case strings.HasPrefix(s, "+"):
		s = s[1:]
	case strings.HasPrefix(s, "-"):
		s, neg = s[1:], true
	case strings.HasPrefix(s, "−"): // U+2212 minus sign
		s, neg = s[len("−"):], true
	}
	if s == "" || s[0] < '0' || s[0] > '9' {
		return req, false, false
	}
	i := 0
	n := 0
	huge := false
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		if !huge {
			n = n*10 + int(s[i]-'0')
			if n > hugeNumber {
				huge = true
			}
		}
		i++
	}
	switch suffix := s[i:]; {
	case suffix == "":
	case ordinalSuffixes[suffix]:
		ordinal = true
	default:
		req.status = numMalformed
		return req, false, true
	}
	switch {
	case huge && neg:
		req.status = numNegative
	case huge:
		req.status = numHuge
	case n == 0:
		req.status = numZero
	case neg:
		req.status = numNegative
	default:
		req.status, req.n = numOK, n
	}
	return req, ordinal, true
}

// splitKeyword splits tokens such as "q3", "#3", "no.3", "question3", "№3" into keyword and
// number.
func splitKeyword(tok string) []string {
	if strings.HasPrefix(tok, "#") && len(tok) > 1 {
		return []string{"#", tok[1:]}
	}
	for _, kw := range []string{"question", "answer", "ques", "num", "no.", "nr.", "no", "nr", "qn", "q.", "q", "n°", "№", "n."} {
		if rest, ok := strings.CutPrefix(tok, kw); ok && rest != "" {
			r, _ := utf8.DecodeRuneInString(rest)
			if unicode.IsDigit(r) || r == '#' || r == '-' || r == '+' || r == '−' {
				if kw == "n." {
					kw = "no" // Italian and Portuguese "la domanda n.3"
				}
				return append([]string{strings.TrimSuffix(kw, ".")}, splitKeyword(rest)...)
			}
		}
	}
	return []string{tok}
}

// plainDigits maps fullwidth digits to ASCII and drops the emoji keycap marks, so "３" and
// "3️⃣" read as "3".
func plainDigits(r rune) rune {
	switch {
	case r >= '０' && r <= '９':
		return '0' + (r - '０')
	case r == '\ufe0f' || r == '\u20e3':
		return -1
	}
	return r
}

// requestWord reports whether tok (before hyphens are split and a final "." dropped) can
// appear in a number request; named are the words of the transcript's title.
func requestWord(tok string, named map[string]bool) bool {
	t := strings.TrimSuffix(tok, ".")
	if requestKeywords[t] || politeFillers[t] || questionFillers[t] || contextWords[t] || named[t] || isNumberWord(t) || lastWords[t] || foreignUnits[t] != 0 {
		return true
	}
	switch t {
	case "and", "no.", "nr.":
		return true
	}
	if relativeWords[t] != 0 || relativeSharpeners[t] { // "the one right before the last" (relativeAt)
		return true
	}
	if strings.Contains(t, "-") && !strings.HasPrefix(t, "-") {
		for _, part := range strings.Split(t, "-") {
			if !isNumberWord(part) {
				return false
			}
		}
		return true
	}
	r, _ := utf8.DecodeRuneInString(strings.TrimLeft(t, "+-−"))
	return r >= '0' && r <= '9'
}

// minMisspeltRequest is the shortest token read as a misspelt request word: shorter ones are
// one letter from too many others.
const minMisspeltRequest = 5

// misspeltRequestWords are the request keywords and polite fillers of minMisspeltRequest
// letters or more, whose slips ("somone", "pleae", "qeustion") a number request still reads.
var misspeltRequestWords = func() []string {
	var out []string
	for _, set := range []map[string]bool{requestKeywords, politeFillers} {
		for w := range set {
			if len(w) >= minMisspeltRequest && isASCIIWord(w) {
				out = append(out, w)
			}
		}
	}
	slices.Sort(out)
	return out
}()

// isASCIIWord reports whether w is lower-case ASCII letters.
func isASCIIWord(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] < 'a' || w[i] > 'z' {
			return false
		}
	}
	return true
}

// misspeltRequestWord returns the request keyword or polite filler that t, a lower-case
// ASCII token of minMisspeltRequest letters or more, is one slip from (a letter dropped,
// added, changed, or two swapped: "can somone re-post number 7"), the first in order when
// several are.
func misspeltRequestWord(t string) (string, bool) {
	if len(t) < minMisspeltRequest || !isASCIIWord(t) || matcher.EnglishWord(t) {
		return "", false // "report" is spelt right: no misspelt "repost"
	}
	for _, w := range misspeltRequestWords {
		if d := len(w) - len(t); d >= -1 && d <= 1 && oneSlip(t, w) {
			return w, true
		}
	}
	return "", false
}

// oneSlip reports whether a and b differ by exactly one edit: a letter dropped, added or
// changed, or two neighbours swapped (editDistance).
func oneSlip(a, b string) bool { return editDistance(a, b) == 1 }

// tokenizeRequest lowercases text and splits it into the tokens the number-request grammar
// reads: punctuation around words dropped, "q3" and "#3" split, hyphenated number words
// ("twenty-one") split, and chat noise without words (emoji, "??", "...") and @mentions left
// out. It returns nil as soon as a word cannot be part of a number request.
func tokenizeRequest(text string, named map[string]bool) []string {
	return requestTokens(text, named, true)
}

// requestTokens is tokenizeRequest; with strict false it keeps the words no number request
// holds, for looseNumberRequest to judge, instead of giving up at the first.
func requestTokens(text string, named map[string]bool, strict bool) []string {
	var toks []string
	fields := strings.Fields(strings.ToLower(strings.Map(plainDigits, text)))
	for j, f := range fields {
		f = strings.ReplaceAll(f, "’", "'")
		f = strings.TrimRight(f, "?!,;:…)]\"'”»")
		f = strings.TrimLeft(f, "([\"'“‘«")
		if j+1 < len(fields) && dottedOrdinal(f, fields[j+1]) {
			f = strings.TrimSuffix(f, ".") + "th" // Turkish "10. soru": the tenth question
		}
		if f != "no." && f != "nr." {
			f = strings.TrimRight(f, ".")
		}
		if f == "" || noise(f) {
			continue
		}
		if base, ok := strings.CutSuffix(f, "'s"); ok && base != "" && (isNumberWord(base) || base[0] >= '0' && base[0] <= '9' || contextWords[base] || named[base]) {
			f = base // "question 4's answer", "the Secretary-General's reply"
		}
		if rest, ok := strings.CutPrefix(f, "ke-"); ok && rest != "" && rest[0] >= '0' && rest[0] <= '9' {
			f = rest + "th" // Indonesian and Malay "ke-2": the second
		}
		if digits, word, ok := strings.Cut(f, "-"); ok && digits != "" && len(digits) <= 3 &&
			strings.Trim(digits, "0123456789") == "" && questionKeywords[word] {
			// Uzbek, Kazakh and Kyrgyz write an ordinal as its digits and a hyphen, which
			// chats join to the noun: "3-savol", the third question.
			toks = append(toks, digits+"th", word)
			continue
		}
		if digits, marker, ok := koreanCounter(f); ok {
			// Korean counts with "번" after the digits: "4번 질문", question number 4, and
			// "4번째 질문", the fourth question. The grammar of parseNumberRequest reads no
			// Korean; the loose reading does.
			if strict {
				return nil
			}
			if marker == "번째" {
				toks = append(toks, digits+"th")
			} else {
				toks = append(toks, digits, marker)
			}
			continue
		}
		for _, p := range splitKeyword(f) {
			if questionTypo(p) {
				p = "question"
			} else if conferenceTypo(p) {
				p = "conference"
			} else if !requestWord(p, named) {
				if w, ok := misspeltRequestWord(p); ok {
					p = w
				}
			}
			if strict && !requestWord(p, named) {
				return nil // not a number request: no need to read further
			}
			if strings.Contains(p, "-") && !strings.HasPrefix(p, "-") {
				parts := strings.Split(p, "-")
				all := true
				for _, q := range parts {
					if !isNumberWord(q) {
						all = false
					}
				}
				if all {
					toks = append(toks, parts...)
					continue
				}
			}
			if p = strings.TrimSuffix(p, "."); p != "" {
				toks = append(toks, p)
			}
		}
	}
	return toks
}

// koreanCounter splits f, one to three digits and the Korean counter "번" or "번째" ("4번",
// "10번째"), into the digits and the counter.
func koreanCounter(f string) (digits, marker string, ok bool) {
	i := 0
	for i < len(f) && i < 4 && f[i] >= '0' && f[i] <= '9' {
		i++
	}
	if i == 0 || i > 3 {
		return "", "", false
	}
	switch f[i:] {
	case "번", "번째":
		return f[:i], f[i:], true
	}
	return "", "", false
}

// dottedOrdinal reports whether f, digits and a full stop, is an ordinal as Turkish (and
// German) write them: right before a word for the question ("10. soruyu", "3. soru"), where
// a sentence's last number would not stand.
func dottedOrdinal(f, next string) bool {
	digits, ok := strings.CutSuffix(f, ".")
	if !ok || digits == "" || len(digits) > 3 || strings.Trim(digits, "0123456789") != "" {
		return false
	}
	next = strings.Trim(next, "?!,;:.…()[]\"'“”‘’«»")
	return questionKeywords[next]
}

// questionTypo reports whether tok is "question" or "questions" misspelt by at most two
// edits ("qustion", "quesiton", "qestions"), first letter kept.
func questionTypo(tok string) bool {
	if len(tok) < 6 || len(tok) > 11 || tok[0] != 'q' || tok == "question" || tok == "questions" {
		return false
	}
	return editDistance(tok, "question") <= 2 || editDistance(tok, "questions") <= 2
}

// conferenceTypo reports whether tok is "conference" misspelt by one edit
// ("konference", "conferance", "confrence"), as the press conference is named in a number
// request ("what was 1st question in this press konference").
func conferenceTypo(tok string) bool {
	if len(tok) < 8 || len(tok) > 12 || tok == "conference" {
		return false
	}
	return editDistance(tok, "conference") <= 1 // two would take "confidence"
}

// editDistance is the optimal string alignment distance between a and b (bytes): insertions,
// deletions, substitutions and transpositions of neighbours.
func editDistance(a, b string) int {
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}

// noise reports whether a token carries no words: emoji, punctuation, an @mention.
func noise(tok string) bool {
	if strings.HasPrefix(tok, "@") && len(tok) > 1 {
		return true
	}
	for _, r := range tok {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '#' || r == '№' {
			return false
		}
	}
	return true
}

// parseNumberRequest reports whether text is a request for an answer by number, in the forms
// people type: "3", "#3", "q3", "Q 3", "question 3", "answer 3", "three", "third question",
// "the 3rd one", "last question", alone or in a sentence made only of politeness, chat noise
// and words about the press conference: "can you repeat question 1 for me?", "what did the
// journalist ask in question two", "read out the third question and its answer", "go to #9",
// "yo show me q7 pls 🙏". A message with other content ("What happened on 13 April?",
// "19 years", "what about 2020?", "what are the 4 early measures", "the second wave") is not
// one, nor is one naming a count ("the 10 questions", "can I ask one question") or two numbers
// ("questions 3 and 5"); the same number twice is one ("the last question (10)").
// total is the number of questions, for "last". named are the lower-cased words of the
// transcript's title (titleWords): they name the press conference, like "press" and
// "conference" ("read me number five from the SCO presser").
//
// It reads the message alone: a layer that knows the conversation (a menu just shown) runs
// before it and may read "2" or "the first one" as a choice instead.
func parseNumberRequest(text string, total int, named map[string]bool) (numRequest, bool) {
	toks := tokenizeRequest(matcher.DropSignature(text), named)
	var (
		found, ordinal, keyword, questiony, context, oneAfter bool
		numberAfterThe                                        bool // the number follows "the"
		numberOpens                                           bool // only politeness before the number
		numberAt                                              = -1 // index of the number in toks
		foreign                                               bool // the number is a foreignUnits word
		req                                                   numRequest
	)
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		switch {
		case requestKeywords[t]:
			// "the 10 questions", "ask one question": a count; but "the 9 question" (one
			// question, after "the") names it, and so does "7 number" opening a message after
			// nothing but politeness (the Hindi, Urdu and Bengali order: "7 number wala sawal",
			// "apu 4 number proshno ta").
			numberFirst := t == "number" && numberOpens && i == numberAt+1
			if found && !ordinal && !keyword && !(t == "question" && numberAfterThe) && !numberFirst &&
				!(t == "question" && numberNamesOne(toks, i)) {
				return numRequest{}, false
			}
			keyword = true
			continue
		case politeFillers[t]:
			continue
		case !found && relativeAt(toks, i):
			continue // "the question before the last one": relativeOffset names its neighbour
		case questionFillers[t]:
			questiony = true
			continue
		case contextWords[t] || named[t]: // no number words; the year is no request ("q4 of the 2020 presser")
			context = true
			continue
		case t == "one" && found && ordinal:
			oneAfter = true
			continue // "the third one"
		case t == "and":
			continue // "and question 5?", "the third question and its answer"; a second number still ends it
		case found && req.status == numOK && sameNumber(t, req.n):
			continue // "the last question (10)", "question ten, number ten"
		case found && ordinal && lastWords[t] && req.status == numOK && req.n == total:
			continue // "the tenth and final question"
		case found:
			return numRequest{}, false // a second number, or other words after it
		case lastWords[t]:
			found, ordinal = true, true
			req = numRequest{status: numOK, n: total, raw: t}
			if total < 1 {
				req.status = numZero
			}
			continue
		}
		if d, ord, ok := parseDigits(t); ok {
			found, req, ordinal = true, d, ord
			numberAfterThe = i > 0 && toks[i-1] == "the"
			numberAt, numberOpens = i, !keyword && !questiony && !context
			continue
		}
		if v := foreignUnits[t]; v != 0 {
			found, foreign = true, true
			req = numRequest{status: numOK, n: v, raw: t}
			continue
		}
		if !isNumberWord(t) {
			return numRequest{}, false
		}
		j := i
		for j < len(toks) && (isNumberWord(toks[j]) || (toks[j] == "and" && j+1 < len(toks) && isNumberWord(toks[j+1]))) {
			j++
			if isOrdinalWord(toks[j-1]) {
				break // "the third one": an ordinal ends the number
			}
		}
		n, ord, ok := parseNumberWords(toks[i:j])
		if !ok {
			return numRequest{}, false
		}
		found, ordinal = true, ord
		req = numRequest{status: numOK, n: n, raw: strings.Join(toks[i:j], " ")}
		switch {
		case n == 0:
			req.status = numZero
		case n > hugeNumber:
			req.status = numHuge
		}
		i = j - 1
	}
	switch {
	case !found:
		return numRequest{}, false
	case foreign && !keyword:
		return numRequest{}, false // "sept", "tano": a foreign number word names a question only with a keyword
	case questiony && !keyword && !ordinal:
		return numRequest{}, false // "what about 2020?" asks about a year
	case context && !keyword && !oneAfter:
		return numRequest{}, false // "what did he say first" is about what was said
	case req.status == numMalformed && !keyword && !(len(toks) == 1 && looksDecimal(toks[0])):
		return numRequest{}, false // "5G" is a word, "3.5" alone a bad number
	}
	req.plain = keyword || oneAfter
	return req, true
}

// parseNumberRequestText is parseNumberRequest for a message that says a little more than
// the request, in clauses of its own: "what was question three at the presser? the regional
// security one?", "pls show question 10, the last one", "Could you please display the answer
// to the third question? We're going through them in order." When the whole message is no
// number request, it is one if exactly one of its clauses (split at . ? ! ; , brackets and
// dashes: "can someone paste the answer to question 5 (restoration)") is
// a plain request (a keyword, or "the third one") and every other clause names the question
// again, describes it ("the covid one") or says something without asking: a clause that asks
// ("... what did he say about the summit?") or holds another number ("question 3 or 5?",
// "in question 2 he says 2021, why?") leaves the message to the matcher.
//
// content, when not nil, lets a clause that is no request by the grammar be one by
// looseNumberRequest ("Please could you read out question number 4 for Grandpa, he has the
// transcript but the print is far too small for him"), then the whole message, and last
// verbRequest a message that asks for a question to be sent in the transcript's own words
// ("need #12 verbatim for the story"). Every reading sees the message without its dates
// (withoutDates: "the second question at the 12 June briefing").
func parseNumberRequestText(text string, total int, named map[string]bool, content func(string) bool) (numRequest, bool) {
	text = withoutDates(text)
	req, ok := parseNumberRequest(text, total, named)
	if !ok {
		req, ok = clauseRequest(text, total, named, content)
	}
	if !ok {
		req, ok = looseNumberRequest(text, total, named, content)
	}
	if !ok && content != nil {
		req, ok = verbRequest(text, total, named)
	}
	if ok && req.status == numOK {
		if d := relativeOffset(requestTokens(matcher.DropSignature(text), named, false), req.n, total); d != 0 {
			req.n += d
			req.raw = strconv.Itoa(req.n)
			if req.n == 0 {
				req.status = numZero
			}
		}
	}
	return req, ok
}

// datePattern finds a day of a month, with or without its year ("at the 12 June briefing",
// "from the June 12th presser", "on 3 Sept. 2020"): a date names no question, so a request
// beside one is still one. "May" counts only with its capital ("it may 2 be").
var datePattern = regexp.MustCompile(`\b(?:\d{1,2}(?i:st|nd|rd|th)?\s+(?i:of\s+)?(?:(?i:` + months + `)|May)|(?:(?i:` + months + `)|May)\.?\s+\d{1,2}(?i:st|nd|rd|th)?)\b\.?(?:,?\s+\d{4}\b)?`)

// months are the English months' names and abbreviations but May, for datePattern.
const months = `january|february|march|april|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec`

// withoutDates returns text without the dates datePattern finds, for the readings of a
// number request; a day right after a keyword is a question's number ("question 4 June",
// "#4 June" stay requests for 4).
func withoutDates(text string) string {
	if !strings.ContainsAny(text, "0123456789") {
		return text
	}
	var b strings.Builder
	last := 0
	for _, m := range datePattern.FindAllStringIndex(text, -1) {
		if c := text[m[0]]; c >= '0' && c <= '9' {
			before := strings.TrimRight(text[:m[0]], " ")
			word := strings.ToLower(before[strings.LastIndexAny(before, " \t\n")+1:])
			if requestKeywords[word] || word == "#" || word == "no." || word == "nr." {
				continue
			}
		}
		b.WriteString(text[last:m[0]])
		b.WriteByte(' ')
		last = m[1]
	}
	if last == 0 {
		return text
	}
	b.WriteString(text[last:])
	return b.String()
}

// relativeWords name the question next to the one a request names: "the question after q3"
// is question 4, "the one before the last" the last but one.
var relativeWords = map[string]int{"after": 1, "following": 1, "before": -1, "preceding": -1}

// relativeAt reports whether toks[i] is a relative word (relativeWords) right before a
// question named by a number ("before the last one", "after q3"), or a word that sharpens one
// ("right", "just", "immediately": "the one right before the last"), for parseNumberRequest.
func relativeAt(toks []string, i int) bool {
	if relativeSharpeners[toks[i]] && i+1 < len(toks) {
		i++
	}
	if relativeWords[toks[i]] == 0 {
		return false
	}
	j := relativeTarget(toks, i)
	if j == len(toks) {
		return false
	}
	if lastWords[toks[j]] || isNumberWord(toks[j]) {
		return true
	}
	d, _, ok := parseDigits(toks[j])
	return ok && d.status == numOK
}

// relativeOffset returns the shift a relative word gives the question n that toks name: +1 or
// -1 when "after" or "before" stands right before it ("after q3", "before question 3", "after
// number three", "before the last one"), articles and words for the question between; else 0.
func relativeOffset(toks []string, n, total int) int {
	for i, t := range toks {
		d := relativeWords[t]
		if d == 0 {
			continue
		}
		if j := relativeTarget(toks, i); j < len(toks) && (sameNumber(toks[j], n) || lastWords[toks[j]] && n == total) {
			return d
		}
	}
	return 0
}

// relativeSharpeners may stand before a relative word ("right before the last", "just after
// q3").
var relativeSharpeners = setOf("right", "just", "immediately")

// relativeTarget returns the index of the word the relative word toks[i] points to: the next
// one after articles and words for the question ("after the question 3" points to "3"), or
// len(toks) when none is left.
func relativeTarget(toks []string, i int) int {
	j := i + 1
	for j < len(toks) && (toks[j] == "the" || requestKeywords[toks[j]]) {
		j++
	}
	return j
}

// clauseRequest reads text clause by clause, for parseNumberRequestText.
func clauseRequest(text string, total int, named map[string]bool, content func(string) bool) (numRequest, bool) {
	var found numRequest
	n, start := 0, 0
	for i := 0; i <= len(text); {
		r, size := utf8.RuneError, 1
		if i < len(text) {
			r, size = utf8.DecodeRuneInString(text[i:])
			if !clauseEnd(r) && !spacedHyphen(text, i) || numberDot(text, i) {
				i += size
				continue
			}
		}
		c := text[start:i]
		asks := r == '?'
		i += size
		start = i
		if strings.TrimSpace(c) == "" {
			continue
		}
		req, ok := parseNumberRequest(c, total, named)
		if !ok {
			req, ok = looseNumberRequest(c, total, named, content)
		}
		switch {
		case ok && req.plain:
			if n > 0 && (req.status != numOK || found.status != numOK || req.n != found.n) {
				return numRequest{}, false // two different requests
			}
			if n == 0 {
				found = req
			}
			n++
		case ok && n > 0 && found.status == numOK && req.status == numOK && req.n == found.n:
			// "the last question (11)": the number named again, in brackets
		case n > 0 && found.status == numOK && describesOne(c) && onlyNumber(c, found.n):
			// "What was the last question, the 10th one about the summit?"
		case ok || hasNumberBut(c, named):
			return numRequest{}, false // another number: not only this request
		case describesOne(c):
			// "the covid one I think", "the one about disputes"
		case onlyRequestWords(c, named):
			// "and what was his answer?", "how did he respond?", "What, if I may ask, ..."
		case asks || opensQuestion(c):
			return numRequest{}, false // another question: for the matcher
		}
	}
	return found, n > 0
}

// clauseEnd reports whether r ends a clause of a number request: punctuation, a bracket, a
// dash, or a symbol such as an emoji, which chat writes between clauses ("pls send the answer
// to question 10 🙏 the money one"), as the matcher's clauses read them.
func clauseEnd(r rune) bool {
	if r < utf8.RuneSelf {
		return strings.ContainsRune(".?!;,()\n", r)
	}
	return r == '—' || r == '–' || unicode.Is(unicode.So, r) || unicode.Is(unicode.Sk, r)
}

// numberDot reports whether text[i] is the full stop of "no." or "nr." before a number
// ("scrolled too far, what was no. 7 about?"), which ends no clause.
func numberDot(text string, i int) bool {
	if text[i] != '.' {
		return false
	}
	w := strings.ToLower(text[max(0, i-2):i])
	if w != "no" && w != "nr" {
		return false
	}
	if r, _ := utf8.DecodeLastRuneInString(text[:i-2]); unicode.IsLetter(r) {
		return false // "piano. 3 of them"
	}
	rest := strings.TrimLeft(text[i+1:], " ")
	return rest != "" && rest[0] >= '0' && rest[0] <= '9'
}

// spacedHyphen reports whether text[i] is a hyphen written as a dash, with a space on
// either side ("can u pull up q3 - the one on emergency calls"), not one joining two words
// ("covid-19") or a sign ("-3"), as the matcher's clauses read it.
func spacedHyphen(text string, i int) bool {
	return text[i] == '-' && (i > 0 && text[i-1] == ' ' || i+1 < len(text) && text[i+1] == ' ') &&
		!(i+1 < len(text) && text[i+1] >= '0' && text[i+1] <= '9')
}

// onlyRequestWords reports whether a clause is made only of the words a number request may
// hold, with no number ("and how did the Secretary-General respond to it?", "and the gist of
// his reply"): it asks about the question requested, not about anything else.
func onlyRequestWords(c string, named map[string]bool) bool {
	toks := tokenizeRequest(c, named)
	if len(toks) == 0 {
		return false
	}
	for _, t := range toks {
		if isNumberWord(t) || lastWords[t] {
			return false
		}
	}
	return true
}

// numberNamesOne reports whether the singular "question" at toks[i] follows a number in digits
// that names it in a message asking what it was ("what was 6 question"): one question, not
// a count, unless the message asks to ask ("can i ask 2 question").
func numberNamesOne(toks []string, i int) bool {
	if i < 2 || !hasNumber(toks[i-1]) {
		return false
	}
	what := false
	for _, t := range toks {
		switch t {
		case "ask", "asks", "asked", "asking":
			return false
		case "what", "what's", "whats", "wat", "wut":
			what = true
		}
	}
	return what
}

// onlyNumber reports whether every number of clause c ("the 10th one about the summit") is n.
func onlyNumber(c string, n int) bool {
	for _, f := range strings.Fields(strings.ToLower(c)) {
		f = strings.Trim(f, "\"'“”‘’()?!.,;:")
		if f == "" || f == "one" || !hasNumber(f) && !isNumberWord(f) {
			continue // "one" is the question described, not a number
		}
		if !sameNumber(f, n) {
			return false
		}
	}
	return true
}

// describesOne reports whether a clause holds the word "one" ("the economy one"), or its
// Hindi and Urdu "wala" ("security wala") or Bengali "ta" ("economy related ta"), or opens
// with "about": a description of the question asked for.
func describesOne(c string) bool {
	fields := strings.Fields(strings.ToLower(c))
	// A clause that opens with "about" says what the question was about ("whats the 9th
	// question, about sport i think?").
	if len(fields) > 1 && (fields[0] == "about" || fields[0] == "regarding") && !hasNumber(c) {
		return true
	}
	for _, f := range fields {
		switch strings.Trim(f, "\"'“”‘’()") {
		case "one", "wala", "wali", "wale", "waala", "waali", "ta", "ti":
			return true
		}
	}
	return false
}

// opensQuestion reports whether a clause starts, after chat noise, with a question word or an
// auxiliary that opens a question.
func opensQuestion(c string) bool {
	for _, f := range strings.Fields(strings.ToLower(c)) {
		f = strings.Trim(f, "\"'“”‘’()")
		if f == "" || noise(f) || politeFillers[f] && !questionOpeners[f] {
			continue
		}
		return questionOpeners[f]
	}
	return false
}

// questionOpeners open a clause that asks.
var questionOpeners = setOf("what", "what's", "whats", "wat", "who", "whom", "whose", "which",
	"where", "when", "why", "how", "is", "are", "was", "were", "do", "does", "did", "can",
	"could", "will", "would", "should", "has", "have")

// hasNumber reports whether text holds a number standing alone ("2021", "3rd", "#5"); a word
// with digits in it ("COVID-19", "g20") is no number.
func hasNumber(text string) bool { return hasNumberBut(text, nil) }

// hasNumberBut is hasNumber, leaving out the numbers named holds (the press conference's
// year, namedWords).
func hasNumberBut(text string, named map[string]bool) bool {
	for _, f := range strings.Fields(strings.Map(plainDigits, text)) {
		f = strings.Trim(f, "?!,;:.…()[]\"'“”‘’«»#№")
		if _, _, ok := parseDigits(f); ok && !digitSpelt(f) && !named[f] {
			return true
		}
	}
	return false
}

// ordinalSuffixes make a number's digits an ordinal ("3rd", "7ª"): English, Portuguese and
// Spanish, Dutch ("de 9e vraag", "2de", "1ste"), French ("la 3e question", "3ème", "1er")
// and Russian, with its hyphen or without, in Cyrillic and in Latin letters ("5-й вопрос",
// "5-го вопроса", "9-y vopros"), and the Turkic languages of Central Asia and the Caucasus:
// Uzbek ("9chi savol", "3-chisi", "2-nchi"), Kazakh ("10-shy suraq", "3-ші сұрақ"), Kyrgyz
// ("5-чи суроо") and Azerbaijani ("4-cü sual").
var ordinalSuffixes = setOf("st", "nd", "rd", "th", "ª", "º", "e", "de", "ste", "è", "ème",
	"eme", "er", "re", "ère", "-й", "-ый", "-ий", "-ой", "-го", "-ого", "-му", "-ому", "-м",
	"-ом", "-я", "-ая", "-е", "й", "го", "-y", "-yy", "-iy", "-yi", "-j", "-i", "-oy", "-ogo",
	"-go", "chi", "-chi", "-inchi", "-nchi", "chisi", "-chisi", "-inchisi", "-nchisi", "-shi",
	"-shy", "-inshi", "-ynshy", "-nshi", "-nshy", "-ші", "-шы", "-інші", "-ынші", "-нші",
	"-ншы", "-чи", "-нчи", "-инчи", "-чиси", "-nji", "-njy", "-cı", "-ci", "-cu", "-cü", "-ncı",
	"-nci", "-ncu", "-ncü", "-ınci", "-inci", "-üncü", "-uncu")

// unitSuffixes may follow a number's digits ("10am", "5km", "3rd"): the token is a number.
var unitSuffixes = union(ordinalSuffixes, setOf("am", "pm", "km", "kg", "cm", "mm", "ml", "mg",
	"kb", "mb", "gb", "tb", "hz", "bn", "mn", "yr", "yrs", "hr", "hrs", "min", "mins", "ft", "lb",
	"lbs", "sec", "secs", "pc", "pcs"))

// digitSpelt reports whether tok is a word spelt with a digit for a letter, not a number:
// Arabizi writes the sounds Latin lacks with digits ("3an", about; "7ad", someone; "2al",
// said), and chat writes "2day" and "4ever". Digits then two letters or more that are no
// unit ("10am", "5km") make one.
func digitSpelt(tok string) bool {
	i := 0
	for i < len(tok) && tok[i] >= '0' && tok[i] <= '9' {
		i++
	}
	rest := tok[i:]
	if i == 0 || utf8.RuneCountInString(rest) < 2 || unitSuffixes[strings.ToLower(rest)] {
		return false
	}
	for _, r := range rest {
		if !unicode.IsLetter(r) {
			return false
		}
	}
	return true
}

// sameNumber reports whether the token t is the number n, in digits or as one word.
func sameNumber(t string, n int) bool {
	if d, _, ok := parseDigits(t); ok {
		return d.status == numOK && d.n == n
	}
	if isNumberWord(t) {
		v, _, ok := parseNumberWords([]string{t})
		return ok && v == n
	}
	return false
}

// titleWords returns the lower-cased words of a transcript's title, for parseNumberRequest:
// those that are no number.
func titleWords(title string) map[string]bool {
	out := map[string]bool{}
	for _, f := range strings.FieldsFunc(strings.ToLower(title), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-' && r != '\''
	}) {
		for _, p := range append(strings.Split(f, "-"), f) {
			if p != "" && !isNumberWord(p) && !(p[0] >= '0' && p[0] <= '9') {
				out[p] = true
			}
		}
	}
	return out
}

// looksDecimal reports whether s is digits with decimal points or separators ("3.5",
// "1,000", "-2.0"): a number, though not a question number.
func looksDecimal(s string) bool {
	s = strings.TrimLeft(s, "+-−")
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && c != '.' && c != ',' {
			return false
		}
	}
	return s[0] >= '0' && s[0] <= '9'
}

// namedWords returns the words that name the press conference and the people in it, for
// parseNumberRequest: the title's (titleWords) and the speakers' names where the answers
// label who speaks ("Haverkamp: The storm is ...", "Colonel Whitlock: ..."), so "can
// someone paste question 2 and what haverkamp said" is a number request, and the month of
// its date ("Q9 of the SCO SG June presser kindly send").
func namedWords(t *transcript.Transcript) map[string]bool {
	out := titleWords(t.Title)
	if !t.Date.IsZero() {
		// The month and year the press conference was held name it too ("Q9 of the June
		// presser", "4th question of the SCO SG presser (june 2020)"): the year is then no
		// second number.
		month := strings.ToLower(t.Date.Month().String())
		out[month], out[month[:3]] = true, true
		out[strconv.Itoa(t.Date.Year())] = true
	}
	for _, e := range t.Entries {
		for _, p := range e.Paragraphs {
			label, _, ok := strings.Cut(p, ":")
			if !ok || len(label) > 40 {
				continue
			}
			ws := strings.Fields(label)
			if len(ws) == 0 || len(ws) > 4 {
				continue
			}
			speaker := true
			for _, w := range ws {
				if r, _ := utf8.DecodeRuneInString(w); !unicode.IsUpper(r) {
					speaker = false
				}
			}
			if !speaker {
				continue
			}
			for w := range titleWords(label) {
				out[w] = true
			}
		}
	}
	return out
}

// ordinalMarkers follow a number to make it an ordinal, as Turkish "5 numaralı soru" (the
// question numbered 5) and "5 nolu soru" do, and Korean "4번 질문" (question number 4), whose
// counter requestTokens splits from the digits.
var ordinalMarkers = setOf("numaralı", "numarali", "nolu", "번")

// countlessNouns are the words for a question a number before which is an ordinal, not a
// count, when the grammar of counting would have changed the noun: Russian says "5 вопрос"
// (the fifth question) but counts "2 вопроса", "5 вопросов" and "1 вопрос", so any number but
// one ending in 1 names the question ("скиньте 5 вопрос с ответом").
var countlessNouns = setOf("вопрос", "vopros")

// looseBridges may stand between a keyword and the number it names ("câu hỏi thứ 7", the
// seventh question; "question the 3rd").
var looseBridges = setOf("the", "thứ", "thu", "ya", "la", "ke", "of")

// looseNumberRequest is the last reading of a number request, for a message whose other words
// the grammar of parseNumberRequest does not know: chat in another language or dialect around a
// question named plainly ("cho mình xin câu 2 với câu trả lời nhé", "eish I missed number
// eight on the show, whats the answer nè", "ja can someone post the 2nd question and what he
// answered, I missed it while I was in the taxi"). Word lists cannot keep up with every
// language's particles, but the transcript knows its own words: content reports whether a
// word is one of them (a stop word is none). The message is a request when
//   - exactly one question is named: a number right after a keyword ("câu 2", "number eight",
//     "Q8", "question no 7"), or an ordinal right before a word for question ("the 2nd
//     question", "last question"), in the transcript's range; the same number may be named
//     twice ("Q8 là gì vậy, paste giúp mình câu 8");
//   - it holds a word for the question or its answer, not only "number" or "q" ("forecast
//     for q3" is a quarter);
//   - no other number stands in it ("question 3 or 5", "in question 2 he says 2021"); and
//   - none of its other words is a word of the transcript: one ("what did question 3 say about
//     the summit") makes it a question about the content, for the matcher.
//
// A nil content (an engine without an analyzer) turns the reading off.
func looseNumberRequest(text string, total int, named map[string]bool, content func(string) bool) (numRequest, bool) {
	if content == nil || total < 1 || !mayNameQuestion(text) {
		return numRequest{}, false
	}
	toks := requestTokens(matcher.DropSignature(text), named, false)
	questionWordAt := func(i int) bool { return questionKeywords[toks[i]] || answerKeywords[toks[i]] }
	n, questionWord := 0, false
	other := make([]bool, len(toks)) // the words left for the transcript to judge
	for i, t := range toks {
		if v, ok := namedQuestionAt(toks, i, total); ok {
			if n != 0 && v != n {
				return numRequest{}, false // two questions
			}
			n = v
			continue
		}
		if hasNumber(t) {
			return numRequest{}, false // another number ("question 3 in 2020")
		}
		if questionWordAt(i) && t != "q" || eventWords[t] {
			// "q3" alone may be a quarter ("usd/cny forecast for q3?"); beside the press
			// conference it is its question ("Q9 of the SG presser kindly send").
			questionWord = true
		}
		other[i] = !requestFiller(t, named)
	}
	if n < 1 || n > total || !questionWord {
		return numRequest{}, false
	}
	// Only now the transcript's words, which cost a stemming each: most messages name no
	// question and never get here.
	for i, t := range toks {
		if other[i] && content(t) {
			return numRequest{}, false
		}
	}
	return numRequest{status: numOK, n: n, raw: strconv.Itoa(n), plain: true}, true
}

// namedQuestionAt reports the question toks[i] names, for looseNumberRequest and
// verbRequest, and whether it names one: a number right after a keyword ("câu 2", "number
// eight", "Q8", "question no 7"), or an ordinal right before a word for question ("the 2nd
// question", "last question").
func namedQuestionAt(toks []string, i, total int) (int, bool) {
	keywordAt := func(i int) bool { return i >= 0 && i < len(toks) && requestKeywords[toks[i]] }
	questionNounAt := func(i int) bool { return i >= 0 && i < len(toks) && questionKeywords[toks[i]] }
	t := toks[i]
	n, ordinal := 0, false
	if d, ord, ok := parseDigits(t); ok {
		if v, ok := romanceOrdinal(t); ok && d.status == numMalformed && questionNounAt(i+1) {
			d.status, d.n, ord = numOK, v, true // "a 7a pergunta"
		}
		if d.status != numOK {
			return 0, false
		}
		n, ordinal = d.n, ord
	} else if lastWords[t] {
		n, ordinal = total, true
	} else if v, ord, ok := parseNumberWords([]string{t}); ok && v > 0 && t != "one" {
		// "one" after a keyword is as often the pronoun ("did he avoid the qn one") as
		// the number; the grammar of parseNumberRequest still reads "question one".
		n, ordinal = v, ord
	} else {
		return 0, false
	}
	after := keywordAt(i-1) || keywordAt(i-2) && looseBridges[toks[i-1]]
	before := ordinal && (questionNounAt(i+1) || questionNounAt(i+2) && looseBridges[toks[i+1]]) ||
		i+1 < len(toks) && ordinalMarkers[toks[i+1]] && questionNounAt(i+2) || // "5 numaralı soru"
		!ordinal && i+1 < len(toks) && countlessNouns[toks[i+1]] && (n%10 != 1 || n%100 == 11)
	if !after && !before {
		return 0, false
	}
	return n, true
}

// sendVerbs ask for a text to be put in the chat: "need #12 verbatim for the story", "radio
// guy pls read out number 7 again", "can someone paste question 10 and the mayor's answer".
var sendVerbs = setOf("send", "post", "paste", "repost", "re-post", "resend", "re-send",
	"share", "reshare", "type", "read", "screenshot", "screencap", "copy", "forward", "fwd",
	"quote", "pull", "give", "gimme", "show", "display", "need", "dm", "drop")

// contentAsks make a message that names a question ask about what it holds rather than for
// the question itself: a question word ("send me what question 3 said about India") or a
// verb of saying ("paste q2, does it mention the summit?").
var contentAsks = setOf("what", "what's", "whats", "wat", "why", "how", "when", "where", "who",
	"whom", "whose", "which", "whether", "say", "says", "said", "mention", "mentions",
	"mentioned", "talk", "talks", "talked", "discuss", "discussed", "think", "explain", "mean",
	"means", "meant", "does", "did", "do", "compare", "vs", "versus", "than")

// verbRequest is the reading of a number request after looseNumberRequest's: a message that
// asks for a question to be sent, in words the other readings do not know or that are the
// transcript's own (the reader's purpose, "for the story", "for the wire"; who should send it,
// "radio guy"; what it was about, "repost no.3 about symptoms"). It is one when a sending
// verb (sendVerbs) asks, exactly one question is named as looseNumberRequest names one (a
// keyword and a number, or an ordinal and a word for question), no other number stands in
// it, nothing makes it ask about the question's content (contentAsks), and it asks no other
// question (a clause ending in "?" that names none: "Any dates for the summit yet? Need it
// for the Q4 calendar"): then the words around say why or where it is wanted, not what about
// it. "Q" with a noun right after the number is a quarter ("Q2 GDP print", "the Q4
// calendar").
func verbRequest(text string, total int, named map[string]bool) (numRequest, bool) {
	if total < 1 || !mayNameQuestion(text) {
		return numRequest{}, false
	}
	text = matcher.DropSignature(text)
	parts := strings.Split(text, "?")
	for _, c := range parts[:len(parts)-1] { // each clause that asks
		if strings.TrimSpace(c) != "" && !namesQuestion(requestTokens(c, named, false), total) {
			return numRequest{}, false
		}
	}
	toks := requestTokens(text, named, false)
	n, sends := 0, false
	var numbers []string // numbers not named by a keyword: the same one again, or another
	for i, t := range toks {
		if v, ok := namedQuestionAt(toks, i, total); ok {
			if n != 0 && v != n {
				return numRequest{}, false // two questions
			}
			if i > 0 && toks[i-1] == "q" && i+1 < len(toks) && !requestFiller(toks[i+1], named) {
				return numRequest{}, false // "the Q4 calendar": a quarter
			}
			n = v
			continue
		}
		switch {
		case contentAsks[t]:
			return numRequest{}, false
		case hasNumber(t) && !named[t]:
			numbers = append(numbers, t)
		case sendVerbs[t]:
			sends = true
		}
	}
	if n < 1 || n > total || !sends {
		return numRequest{}, false
	}
	for _, t := range numbers {
		if !sameNumber(t, n) {
			return numRequest{}, false // another number ("send question 3 from 2019")
		}
	}
	return numRequest{status: numOK, n: n, raw: strconv.Itoa(n), plain: true}, true
}

// namesQuestion reports whether toks name a question as namedQuestionAt reads one.
func namesQuestion(toks []string, total int) bool {
	for i := range toks {
		if _, ok := namedQuestionAt(toks, i, total); ok {
			return true
		}
	}
	return false
}

// requestFiller reports whether t is a word a number request may hold around the question it
// names: a keyword, politeness, a question's filler, the event or the transcript's title.
func requestFiller(t string, named map[string]bool) bool {
	return requestKeywords[t] || politeFillers[t] || questionFillers[t] || contextWords[t] || named[t] || t == "and"
}

// eventWords name the press conference itself, clipped too ("can someone paste q11 from the
// press conf"): context words (contextWords), and beside one "q3" is its third question, not a
// quarter.
var eventWords = setOf("presser", "pressers", "press", "conference", "briefing", "transcript",
	"conf", "presscon", "pressconf", "interview")

// romanceOrdinal returns the number of tok when it is digits with the ordinal letter
// Portuguese, Spanish and Italian add when the ª or º is out of reach ("7a", "3o").
func romanceOrdinal(tok string) (int, bool) {
	n := len(tok)
	if n < 2 || n > 3 || tok[n-1] != 'a' && tok[n-1] != 'o' || strings.Trim(tok[:n-1], "0123456789") != "" {
		return 0, false
	}
	v, _ := strconv.Atoi(tok[:n-1])
	return v, true
}

// mayNameQuestion reports, without allocating, whether a word of text may be a keyword that
// names a question ("question", "câu", "Q8", "#3", "no.7", "qustion"): looseNumberRequest
// reads no further when none is, which spares most messages its tokenizing.
func mayNameQuestion(text string) bool {
	var buf [32]byte
	for f := range strings.FieldsSeq(text) {
		f = strings.Trim(f, "?!,;:.…()[]\"'“”‘’«»")
		if f == "" || len(f) > len(buf) {
			continue
		}
		b := buf[:0]
		for i := 0; i < len(f); i++ {
			c := f[i]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			b = append(b, c)
		}
		if requestKeywords[string(b)] {
			return true
		}
		switch b[0] {
		case 'q', '#', 'n', 0xe2: // "q8", "#3", "no.7", "№3" (its first byte)
			if b[0] == 'q' && len(b) >= 6 || strings.ContainsAny(string(b), "0123456789") {
				return true
			}
		}
	}
	return false
}
