package bot

import "testing"

// TestNumberRequestsInFreeText: a question asked for by number inside a sentence of
// politeness, chat noise and words about the press conference gets that question, without
// the matcher. None of these sentences is special-cased: they are read by the grammar of
// parseNumberRequest.
func TestNumberRequestsInFreeText(t *testing.T) {
	tests := []struct {
		text string
		n    int
	}{
		{"what was the 4th question?", 4},
		{"show me q7", 7},
		{"aye send us number 6 again", 6},
		{"yeah q3 pls", 3},
		{"could somebody repost q9 for me, missed it", 9},
		{"pls resend question 4", 4},
		{"vraag 9 — what was asked and what did he say?", 9},
		{"kan iemand vraag 4 en het antwoord sturen, alsjeblieft", 4},
		{"spørgsmål 3 og svaret, tak", 3},
		{"number six pls", 6},
		{"Can you repeat question 1 for me?", 1},
		{"what did the journalist ask in question two", 2},
		{"read out the third question and its answer", 3},
		{"can someone paste q9 from the press conf", 9},
		{"number five q&a from the presser?", 5},
		{"What was asked in question 6 and by whom?", 6},
		{"Which journalist asked question 6, and for which outlet?", 6},
		{"I missed the sixth question, what was it?", 6},
		{"abeg send number 3 and the answer", 3},
		{"alguém pode mandar aqui a pergunta número 3 e o que ele respondeu?", 3},
		{"pessoal what was the question 5 of the transcript? não lembro, manda with the answer pls", 5},
		{"gente quick: qual é a primeira pergunta da coletiva (the number 1) and his answer?", 1},
		{"manda a 7ª pergunta pfv", 7},
		{"Can anyone copy and paste the answer to question 2 from the press conference please 🙏", 2},
		{"Please may I have question number three and whatever answer was given to it.", 3},
		{"Dear Sir, I should be most grateful if you would let me see the sixth question and its answer. Yours faithfully, E. Marlow", 6},
		{"I missed Q9 on the livestream, what did they say", 9},
		{"wetin be question 4 and wetin he reply", 4},
		{"pa-send po ng number 6 with answer", 6},
		{"question 9 po pakopya ng buong sagot", 9},
		{"lods pa-help, item no. 2 ano ulit yung tanong at sagot", 2},
		{"pa-post naman po ng Q10 at sagot nya, di ko mahanap", 10},
		{"go to #9", 9},
		{"msee tuma question 4 na jibu yake", 4},
		{"naomba swali namba saba please, nataka kusoma answer yote", 7},
		{"nipe question ya tisa na answer yake tafadhali", 9},
		{"naomba swali la nne na jibu lake tafadhali", 4},
		{"hebu nitumieni swali la sita kutoka kwenye ile press conference", 6},
		{"swali la tatu lilikuwa linahusu nini?", 3},
		{"jamani swali namba 8 ilikuwa inauliza nini", 8},
		{"question 3 alijibu nini na ilisema nini?", 3},
		{"wakuu, swali la mwisho pamoja na jibu lake pia", 10},
		{"svp la question numéro 2 avec la réponse", 2},
		{"Je veux la Q6 en entier, question et réponse, merci", 6},
		{"envoie moi la derniere question, la numero 10 svp", 10},
		{"la troisième question svp", 3},
		{"question sept avec la réponse", 7},
		{"la pregunta cinco y su respuesta porfa", 5},
		{"alguém manda a última pergunta e a resposta pfv", 10},
		{"la ultima pregunta y su respuesta porfa", 10},
		// A slip in a request word or filler ("somone", "plesae"), not in an English word.
		{"can somone re-post number 7 for me", 7},
		{"plesae send question 4", 4},
		{"tolong summarize jawapan soalan ke-2 please", 2},
		{"bisa kirimin pertanyaan no 4 sama jawabannya gak", 4},
		{"soalan nombor 7 tu apa eh, boleh paste jawapan dia sekali", 7},
		{"q9 jawabannya apa guys", 9},
		{"yg pertanyaan terakhir, nomor 10, isinya apa sih", 10},
		{"apu 4 number proshno ar tar uttor ta pathan", 4},
		{"question 8 er answer ta din pls, group e share korbo", 8},
		{"q 5 ta ki chilo bhai", 5},
		{"uttor 9 ta share koren, summit related ta", 9},
		{"Anyone got the full bit for question nine?", 9},
		{"can someone paste Q8 from the presser plus the answer?", 8},
		{"pls pull up q10 w/ answer, I missed the end of the stream", 10},
		{"what was question ten about?", 10},
		{"q5??", 5},
		{"What was the eighth question at the press conference?", 8},
		{"can u show me question 3 again", 3},
		{"whats q 4", 4},
		{"i want to see the answer to question five", 5},
		{"repeat the 2nd one", 2},
		{"tell me about question #6", 6},
		{"what was asked in the fifth question?", 5},
		{"read question 9 aloud please", 9},
		{"jump to number 3", 3},
		{"question 3 please 🙏", 3},
		{"gimme q10", 10},
		{"What’s the answer to the seventh question", 7},
		{"What did the secretary-general answer to question 6?", 6},
		{"Question No. 3", 3},
		{"yo bro show me question 4 lol", 4},
		{"@bot q2 pls", 2},
		{"hey, what was the 1st question at the briefing?", 1},
		{"What was the 9th question in the transcript?", 9},
		{"what did he say in question 4", 4},
		{"Could you tell me what question seven was?", 7},
		{"Can I see the last question?", 10},
		{"Open question number 2.", 2},
		{"who asked the second question?", 2},
		{"pls summarise question 5", 5},
		{"the tenth one, thanks!", 10},
		{"qustion 4 pls", 4},
		{"quesiton 7?", 7},
		{"Tell me question 4's answer", 4},
		{"and question 5?", 5},
		{"question 4 - what was it?", 4},
		{"What was the topic of question 4?", 4},
		{"What's question number four all about?", 4},
		{"I'd like to read question 4", 4},
		{"can you post question 4 here", 4},
		{"how about the third one", 3},
		// A request with a clause that describes the question or says more without asking.
		{"pls show question 10, the last one", 10},
		{"can someone paste the answer to question 5 (cooperation with the UN)", 5},
		{"anyone got q2 from the presser (the shanghai spirit one) word for word?", 2},
		{"Could someone post the last question (10) from yesterday's press conference? the one about the summit", 10},
		{"what was question three at the presser? the regional security one?", 3},
		{"Could you please display the answer to the third question? We're going through them in order.", 3},
		{"privet, whats q6 again? the one before economy", 6},
		{"what was question 1, the COVID-19 one?", 1},
		{"Could you kindly tell me what the tenth and final question was? Thank you.", 10},
		{"show me q4 — the hong kong one", 4},
		// A hyphen with a space beside it is a dash, as in the matcher's clauses.
		{"can u pull up q3 - the one on terrorism", 3},
		{"pls send q7- the one on the economy", 7},
		// An emoji between the clauses ends one, as a comma would.
		{"pls send me question 4 🙏 the hong kong one", 4},
		{"q7 pls 😅 the economy one", 7},
		{"tell me the 9 question from this press conference", 9},
		{"wat was q3 abt", 3},
		{"What was the third question that was put to him, please?", 3},
		{"ok what was the very first question they asked him?", 1},
		{"Please return question number six verbatim.", 6},
		{"Could you please reproduce the first question, together with his reply?", 1},
		{"Kindly provide the ninth question together with the Secretary-General's reply.", 9},
		{"pls share the 7th question + answer from the SG presser", 7},
		// Hindi and Urdu in Latin letters.
		{"pehla sawal kya tha press conference ka?", 1},
		{"teesra question kis baare mein tha?", 3},
		{"5th question kya tha aur uska answer?", 5},
		{"7 number wala sawal kya tha", 7},
		{"question no. 7 ka jawab short me bhejo", 7},
		{"Would you be good enough to remind me of the third question put to the Secretary-General, and the gist of his reply?", 3},
		{"What, if I may ask, was the seventh question at the press conference about, and how did he respond?", 7},
		{"What was the tenth and final question put to Mr Secretary-General, and what was his answer?", 10},
		{"What is the wording of question number three, and how did the Secretary-General respond to it?", 3},
		{"third question ka answer bhejo jaldi", 3},
		{"2nd question pe Secretary General ne kya bola, short me bhejo", 2},
		{"last question yani 10th wala kya tha", 10},
		{"Would you be so kind as to show me question number four?", 4},
		{"Can I see the exact wording of the fifth question?", 5},
		{"what was the final question at the briefing, number 10 I think?", 10},
		{"question 3 maybe? the one on security", 3},
		{"aakhri sawal ka jawab bhejo", 10},
		{"8th question dobara dikhao zara", 8},
		{"doosra sawal kya poocha gaya tha?", 2},
		// Urdu and Hindi in their own scripts, and a formal salutation in capitals.
		{"سوال نمبر 4 kya tha aur uska jawab? please share", 4},
		{"प्रश्न 3 ka जवाब bhejo", 3},
		{"RESPECTED SIR PLEASE SEND QUESTION NO. 2 AND ITS ANSWER", 2},
		{"respected madam kindly share question 6", 6},
		{"show 4th question from press konferenciya", 4},
		{"show me question seven and the answer he gave", 7},
		{"what was 1st question in this press konference", 1},
		{"bot 3rd question kya tha, security wala? uska answer bhej", 3},
		{"can someone or the bot tell me what question number 8 was about", 8},
		{"What was the last question, the 10th one about the summit?", 10},
		{"whats the 9th question, about sport i think?", 9},
		{"what was 6 question", 6},
		{"show me question 3, the third one, on security", 3},
		{"the 3rd question of the conferance", 3},
		{"question 3 and the reply given", 3},
		// Vietnamese and Thai.
		{"bot ơi đọc câu hỏi số 1 cho em với, the first question pls", 1},
		{"cau hoi so 4 cho em", 4},
		{"can u paste the 5th question krub", 5},
		{"send me question 2 na kha", 2},
		{"number five question and answer pls xie xie", 5},
		{"bratan send me 3rd question and answer", 3},
		{"ya7abibi show me question number 9 from the press conference", 9},
		{"fadlak send question 4 shukran", 4},
		{"pozhaluysta show me seventh question from press conference", 7},
		{"I wonder if someone could share the first question from the transcript, ne?", 1},
	}
	for _, tc := range tests {
		t.Run(tc.text, func(t *testing.T) {
			b, f := newTestBot(Options{})
			r := b.Handle(ctx, msg(tc.text))
			if r.Kind != ReplyByNumber || r.Number != tc.n {
				t.Errorf("got %v %d (%q), want question %d by number", r.Kind, r.Number, r.Text(), tc.n)
			}
			if n := f.calls.Load(); n != 0 {
				t.Errorf("matcher called %d times for a number request", n)
			}
		})
	}
	// Out of range in a sentence is still a number request, with the range in the reply.
	b, _ := newTestBot(Options{})
	if r := b.Handle(ctx, msg("what was asked in the twentieth question")); r.Kind != ReplyInvalid ||
		r.Text() != "There is no question 20. This transcript has questions 1–10." {
		t.Errorf("twentieth: got %v %q", r.Kind, r.Text())
	}
}

// TestQuestionsWithNumbersGoToTheMatcher: real questions that hold a number, an ordinal, a
// count of questions or a word like "number" are not number requests.
func TestQuestionsWithNumbersGoToTheMatcher(t *testing.T) {
	for _, text := range []string{
		"what are the 4 early measures",
		// "report" is spelt right, no misspelt "repost".
		"what did the report say about 4 threats",
		"What are China's four early measures?",
		"sa 2020 po?", // Tagalog "in 2020": a year, not question 2020
		// Swahili: how many countries were at the 2020 summit; what was said about the two
		// countries.
		"nchi ngapi zilikuwa kwenye mkutano wa 2020?",
		"ile nchi mbili zilihusu nini",
		"ano o 2021",
		"how many of the 10 questions were about covid",
		"what did he say about the second wave",
		"what did he say first",
		"is question 3 about trade",
		"the 10 questions",
		"can i ask one question",
		"question 3 or 4",
		"can i ask 2 question",
		"what 2 question did he skip",
		"question 3, the 4th one about the summit",
		"what was question 3, about 2020?",
		"question 3, about the summit, when is it?",
		"what was question 2, the one about 2020",
		"is it question 3 or the economy",
		"let me ask you 2 questions",
		"the 3 answers he gave",
		"what is the number one priority of the sco",
		"#1 priority for the sco",
		"what happened in q2 2020",
		"press conference 2020",
		"2021 e summit kothay hobe",       // Bengali "where is the summit in 2021": a year
		"bhai 5 ta question ache?",        // how many questions, not question 5
		"SCO er 8 ta member desh ki kore", // the eight member countries

		"what was said at the press conference on 13 April",
		"when was the first meeting",
		"who was the first secretary general",
		"what did china do in the first months",
		"is the sco the number 1 organisation in asia",
		"what did he say about the 3 evils",
		"How many questions were asked at the press conference?",
		"what is the third principle of the shanghai spirit",
		"yo did china send doctors to other sco countries or nah 🤔",
		"how about 2020",
		"how did the first wave end",
		"look up 3",
		"share 3 facts",
		"all 3 countries",
		"quest 4",
		"the question of 2 states",
		// A request beside another question or number is no request.
		"question 3 was boring. what did he say about the summit?",
		"question 3 or 5?",
		"question 3 (or 5)?",
		"what did he say in question 2 (about 2021)?",
		"in question 2 he says 2021, why?",
		"question 3 🤔 what did he say about the summit?", // a clause after the emoji asks
		"question 5, and what about question 7?",
		"is question 3 about trade? I think so",
		"question 4, then 2021 targets",
		"the 3 questions he dodged",
		"can you answer the 2 questions about the summit",
		"what was put forward in the first months",
		"very first meeting of the sco",
		"cooperation with 3 countries",
		"7 number of members",
		"sco mein kitne members hai", // how many members does the SCO have
		"china ka role kya tha 2020 mein",
		// A foreign number word names a question only beside a keyword.
		"sept",
		"tano tu",
		"summit in sept?",
		"la sept",
	} {
		t.Run(text, func(t *testing.T) {
			b, f := newTestBot(Options{})
			r := b.Handle(ctx, msg(text))
			if f.calls.Load() != 1 || r.Kind == ReplyByNumber || r.Kind == ReplyInvalid {
				t.Errorf("got %v %d after %d matcher calls, want the matcher's reply", r.Kind, r.Number, f.calls.Load())
			}
		})
	}
}

// TestLooseNumberRequests: a question named plainly amid words no list of fillers holds
// (another language's particles, a dialect's interjections, an aside about the day) is still
// that question, when none of those words is a word of the transcript; a word of the
// transcript, a second number, or no word for question or answer leaves the message to the
// matcher. The real matcher on the default transcript tells the transcript's words.
func TestLooseNumberRequests(t *testing.T) {
	b := mustDefaultBot(t)
	for _, tc := range []struct {
		text string
		n    int
	}{
		{"cho mình xin câu 2 với câu trả lời nhé", 2},
		{"mình muốn xem lại câu hỏi thứ 7 trong transcript, gửi giúp mình nhé", 7},
		{"Q8 là gì vậy, paste giúp mình câu 8 và câu trả lời với", 8},
		{"ja can someone post the 2nd question and what he answered, I missed it while I was in the taxi", 2},
		{"eish I missed number eight on the show, whats the answer nè", 8},
		{"Good evening all, kindly please forward number 5 from the press conference with the answer, my data was finished 🙏", 5},
		{"Someone said question number seven was the juicy one, what did they say?", 7},
		{"Could someone post the last question (10) from yesterday's press conference?", 10},
		{"Please could you read out question number 4 for Grandpa, he has the transcript but the print is far too small for him.", 4},
		{"can someone screenshot question 1 from the briefing pls, the one about covid", 1},
		// Arabizi spells letters with digits: "7ad" (someone) and "3an" (about) are words.
		{"ya gama3a 7ad yeb3at so2al rakam 4 w el egaba", 4},
		{"question 6 kan 3an eh? ab3atha pls", 6},
		// Turkish numbers a question "7 numaralı" or "2." (the seventh, the second).
		{"hocam 7 numaralı soruyu atar mısınız", 7},
		{"2. soruyu ve cevabını paylaşır mısın", 2},
		// Korean counts with "번" after the digits: question number 3, the eighth question.
		{"3번 질문이랑 답변 좀 알려주세요", 3},
		{"혹시 8번째 질문 답 볼 수 있나요?", 8},
		// Polish, Ukrainian and Russian, in their letters and in Latin ones.
		{"czy ktoś może wysłać pytanie 6 i odpowiedź?", 6},
		{"hej, pytanie numer 4 prosze, dzieki", 4},
		{"skinte bud laska pytannya 3 i vidpovid", 3},
		{"можете скинуть вопрос 9 и ответ", 9},
		{"надішліть питання 2, будь ласка", 2},
		// German, and Singlish particles.
		{"kann mir jemand Frage 6 und die Antwort schicken?", 6},
		{"bitte die dritte Frage nochmal 🙏", 3},
		{"Frage Nummer 8 mit Antwort bitte", 8},
		{"was war nochmal die fünfte Frage + Antwort?", 5},
		// Italian, and the ordinal letter for ª ("a 7a pergunta", the seventh question).
		{"raga mandatemi la domanda 4 con la risposta 🙏", 4},
		{"qual era la domanda 3?", 3},
		{"mi rimandate la prima domanda con la risposta? nn la trovo piu 🙈", 1},
		{"Potete incollare la domanda n.3 e la sua risposta? Grazie mille", 3},
		{"hola, me pasáis la pregunta nueve? the 9th one and what he answered", 9},
		{"manda a 7a pergunta pfv, i need the answer", 7},
		// "q2" beside the press conference is its question, not a quarter.
		{"q2 of the presser pls", 2},
		{"Q9 of SCO SG June presser kindly send 🙏", 9},                     // the month of the transcript's date
		{"pls share 4th question of the SCO SG presser (june 2020) na", 4}, // and its year
		{"pls share 4th question of the presser from june 2020", 4},
		{"send q5 pls lah", 5},
		// Dutch ordinals, in words and in digits, cardinals beside "vraag", and "the last".
		{"mag ik de derde vraag nog eens zien met het antwoord?", 3},
		{"wat was de 9e vraag?", 9},
		{"kan iemand de 2de vraag plakken", 2},
		{"kunnen jullie vraag vijf nog eens sturen?", 5},
		{"de laatste vraag graag, met antwoord", 10},
		// French ordinals in digits ("la 3e question", "la 3ème").
		{"la 3ème question svp", 3},
		// Russian: ordinals in words, Cyrillic and Latin, and in digits, "the last", and a
		// number before "вопрос", which counting would have changed ("2 вопроса").
		{"ребят, кто-нибудь, четвертый вопрос скиньте", 4},
		{"покажите пожалуйста пятый вопрос и ответ", 5},
		{"напомните, что было в третьем вопросе?", 3},
		{"a mozhno 9-y vopros s otvetom?", 9},
		{"pokazhite tretiy vopros pozhaluysta", 3},
		{"последний вопрос", 10},
		{"скиньте 5 вопрос с ответом плиз", 5},
		{"можно 7-й вопрос целиком", 7},
		// Uzbek, Kazakh, Kyrgyz and Azerbaijani: the words for question and answer, and
		// ordinals written as digits with a suffix or a hyphen joined to the noun.
		{"7-savol va javobini yuboring iltimos", 7},
		{"2chi savol nima edi?", 2},
		{"4-shi suraq pen jauaby kerek", 4},
		{"5-ші сұрақ пен жауабы", 5},
		{"1-чи суроо жана жооп", 1},
		{"8-ci sual və cavabı", 8},
		// The question next to the one named.
		{"what was the question after q3", 4},
		{"show me the question before question 3", 2},
		{"what came after question 5?", 6},
		{"the question after number seven please", 8},
		// Nigerian Pidgin: "make I forward am", so that I forward it.
		{"abeg send question 2 with di answer make I forward am", 2},
		{"wat was q7 again ah, the economy one", 7},
	} {
		r := b.Handle(ctx, msg(tc.text))
		if r.Kind != ReplyByNumber || r.Number != tc.n {
			t.Errorf("%q: got %v %d, want question %d by number", tc.text, r.Kind, r.Number, tc.n)
		}
	}
	for _, text := range []string{
		"eish what did question 3 say about the summit nè", // a word of the transcript
		"cho mình hỏi câu 3 hay câu 5 nhé",                 // two questions
		"3-savol yoki 5-savol?",                            // two questions, in Uzbek
		"eish question 3, was it in 2020 nè",               // another number
		"who is the number 1 tennis player nè",             // no word for question or answer
		"usd/cny forecast for q3?",                         // a quarter
		"who approves travel requests for Q3?",
		"can someone send the 7a form and its answer",                                 // a form numbered 7a, no question named
		"cosa ha detto prima del summit?",                                             // Italian "prima", before, names no question
		"what did the presser say about q3 trade",                                     // q3 beside a word of the transcript
		"cho mình xin câu 12 với câu trả lời nhé",                                     // out of range: the matcher says what it can
		"can someone post question 2 before 10am",                                     // a time is a number
		"3. soru covid hakkında ne diyor",                                             // a word of the transcript
		"7 numaralı cevap",                                                            // an answer numbered, not a question
		"3번 물어봤는데 답이 없네요",                                                             // "I asked 3 times": a count, not a question
		"12번 질문 답변 주세요",                                                               // out of range
		"mam 3 pytania do was",                                                        // "I have 3 questions": a count
		"ik heb 3 vragen over de top",                                                 // Dutch, the same
		"у меня 2 вопроса к вам",                                                      // Russian, the same
		"у меня 1 вопрос про саммит",                                                  // one question: a count
		"5 вопросов про саммит",                                                       // a count
		"wat gebeurde er na de 2e wereldoorlog",                                       // an ordinal, no question named
		"eh the india china border thing, did norov comment or he avoid the qn one 🤔", // "one": the question
		// The bot's own last answer, not the last question.
		"thank you so much for the last answer it was lovely, now i wonder why he thinks india and pakistan joining shows something about the sco",
	} {
		if r := b.Handle(ctx, msg(text)); r.Kind == ReplyByNumber {
			t.Errorf("%q: got question %d by number, want the matcher's reply", text, r.Number)
		}
	}
}

// TestVerbRequests: a message that asks for a question to be sent, with words of its own
// around the request (why it is wanted, who should send it, what it was about), is a request;
// one that asks about what the question holds, asks something else too, or names a quarter
// is the matcher's.
func TestVerbRequests(t *testing.T) {
	b := mustDefaultBot(t)
	for _, tc := range []struct {
		text string
		n    int
	}{
		{"need #10 verbatim for the story", 10},
		{"radio guy pls read out number 7 again", 7},
		{"can someone paste question 10 and the mayor's answer", 10},
		{"need Q5 in full for the wire, ta", 5},
		{"someone posted the Q&A earlier, can u repost no.3 about symptoms", 3},
		{"someone screenshot no. 10 from todays briefing? the money/insurance one", 10},
		{"last question in the briefing (10) — can you send it through?", 10},
		{"could someone post number 5 from this morning's briefing — investigation one", 5},
		// "no." before a number ends no clause.
		{"scrolled too far, what was no. 7 about?", 7},
		// A date names no question.
		{"What was the second question at the 12 June briefing?", 2},
		{"can someone post q4 from the June 12th presser", 4},
		{"pls send question 6 from the 3 Sept. 2020 session", 6},
	} {
		r := b.Handle(ctx, msg(tc.text))
		if r.Kind != ReplyByNumber || r.Number != tc.n {
			t.Errorf("%q: got %v %d, want question %d by number", tc.text, r.Kind, r.Number, tc.n)
		}
	}
	for _, text := range []string{
		"send me what question 3 said about India",                  // asks about its content
		"paste q2 for me, does it mention the summit?",              // the same
		"Any dates for the summit yet? Need it for the Q4 calendar", // another question, and a quarter
		"Q2 GDP q/q print?",                                     // a quarter
		"need the Q3 trade figures for the report",              // a quarter, with a noun after it
		"send question 3 and question 5",                        // two questions
		"can someone post question 2 before 10am",               // another number
		"need 2 doctors for the clinic",                         // no question named
		"pls share the covid numbers from the 12 June briefing", // no question named
	} {
		if r := b.Handle(ctx, msg(text)); r.Kind == ReplyByNumber {
			t.Errorf("%q: got question %d by number, want the matcher's reply", text, r.Number)
		}
	}
}

// TestWithoutDates: a day of a month, with or without its year, is taken out of a request;
// a number a keyword names stays.
func TestWithoutDates(t *testing.T) {
	for text, want := range map[string]string{
		"the second question at the 12 June briefing": "the second question at the   briefing",
		"q4 from the June 12th presser":               "q4 from the   presser",
		"question 6 from 3 Sept. 2020":                "question 6 from  ",
		"question 4 June":                             "question 4 June",
		"#4 June":                                     "#4 June",
		"it may 2 be":                                 "it may 2 be",
		"on 2 May":                                    "on  ",
		"12 marketing tips":                           "12 marketing tips",
		"no digits here":                              "no digits here",
	} {
		if got := withoutDates(text); got != want {
			t.Errorf("withoutDates(%q) = %q, want %q", text, got, want)
		}
	}
}

// TestDigitSpelt: digits that spell a letter make a word (Arabizi, chat), digits with a unit
// or an ordinal's ending stay a number.
func TestDigitSpelt(t *testing.T) {
	for tok, want := range map[string]bool{
		"3an": true, "7ad": true, "2al": true, "5alas": true, "2day": true, "4ever": true,
		"10am": false, "3rd": false, "21st": false, "5km": false, "2021": false, "3a": false,
		"q3": false, "": false, "3": false, "3.5": false,
	} {
		if got := digitSpelt(tok); got != want {
			t.Errorf("digitSpelt(%q) = %v, want %v", tok, got, want)
		}
	}
	if hasNumber("question 9 kan 3an eh") != true || hasNumber("7ad yeb3at so2al") {
		t.Error("hasNumber: want the 9 read and the Arabizi words not")
	}
}

// TestOneSlip: one letter dropped, added, changed, or two neighbours swapped; not none, not
// two.
func TestOneSlip(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{"somone", "someone", true}, {"someeone", "someone", true}, {"sameone", "someone", true},
		{"soemone", "someone", true}, {"someone", "someone", false}, {"smone", "someone", false},
		{"plesae", "please", true}, {"pleaes", "please", true}, {"plaese", "please", true},
		{"quick", "quack", true}, {"abcde", "edcba", false},
	} {
		if got := oneSlip(c.a, c.b); got != c.want {
			t.Errorf("oneSlip(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
	if w, ok := misspeltRequestWord("somone"); !ok || w != "someone" {
		t.Errorf("misspeltRequestWord(somone) = %q %v", w, ok)
	}
	if w, ok := misspeltRequestWord("report"); ok {
		t.Errorf("misspeltRequestWord(report) = %q, want none: an English word", w)
	}
}

// TestRelativeNumberRequests: "after" or "before" right before a named question names its
// neighbour, and past either end the reply gives the range, as for any number out of range.
func TestRelativeNumberRequests(t *testing.T) {
	b := mustDefaultBot(t)
	for _, tc := range []struct{ text, want string }{
		{"what was the question after question 10", "There is no question 11. This transcript has questions 1–10."},
		{"show me the question before q1", ""},
	} {
		r := b.Handle(ctx, msg(tc.text))
		if r.Kind != ReplyInvalid || tc.want != "" && r.Text() != tc.want {
			t.Errorf("%q: got %v %q, want a number out of range %q", tc.text, r.Kind, r.Text(), tc.want)
		}
	}
	// "before" or "after" elsewhere in the message shifts nothing.
	if r := b.Handle(ctx, msg("what was q9, the one before last")); r.Kind != ReplyByNumber || r.Number != 9 {
		t.Errorf("got %v %d, want question 9", r.Kind, r.Number)
	}
	// The grammar reads a relative word right before the question named, sharpened or not.
	for text, n := range map[string]int{
		"the question before the last one":            9,
		"what was the question right before the last": 9,
		"what was the question just after q3":         4,
		"the question immediately after question two": 3,
	} {
		if r := b.Handle(ctx, msg(text)); r.Kind != ReplyByNumber || r.Number != n {
			t.Errorf("%q: got %v %d, want question %d", text, r.Kind, r.Number, n)
		}
	}
	// Elsewhere they leave the message to the matcher, as any word a request does not hold.
	for _, text := range []string{"can someone post question 2 before 10am",
		"right after the summit, what did question 4 say about india", "question 4 right after the summit"} {
		if r := b.Handle(ctx, msg(text)); r.Kind == ReplyByNumber {
			t.Errorf("%q: got question %d by number, want the matcher's reply", text, r.Number)
		}
	}
}
