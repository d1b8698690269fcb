package transcript

import (
	"slices"
	"strings"
	"testing"
)

func TestAcronyms(t *testing.T) {
	const text = `Press conference of Baltavia Airlines Chief Executive Helena Marsk

1. Is the regulator investigating?

The Civil Aviation Authority opened an inquiry on Friday. The Bank of Norvania (BoN) and the Air Passenger Rights Act (APR Act) set the rules. Our chief executive met the Baltavian Pilots' Association and the Secretary-General of the union.

2. Who pays?

The Civil Aviation Authority's fines are capped. Central Aviation Agency staff disagree.
`
	tr, err := Parse(strings.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]Acronym{}
	for _, a := range tr.Acronyms() {
		got[a.Acronym] = a
	}
	for _, want := range []Acronym{
		{Acronym: "BPA", Name: "Baltavian Pilots' Association"},
		{Acronym: "BON", Name: "Bank of Norvania", Defined: true}, // defined in brackets
		{Acronym: "APR", Name: "Air Passenger Rights", Defined: true},
		{Acronym: "SG", Name: "Secretary-General"}, // a compound of capitalised parts
		{Acronym: "PR", Name: "Passenger Rights"},  // every part of a longer name
	} {
		if a, ok := got[want.Acronym]; !ok || a != want {
			t.Errorf("acronym %s = %+v (found %v), want %+v", want.Acronym, a, ok, want)
		}
	}
	// Two names give CAA ("Civil Aviation Authority", "Central Aviation Agency"): neither is
	// what CAA means for sure, so it is dropped; the possessive is the same name.
	if a, ok := got["CAA"]; ok {
		t.Errorf("ambiguous CAA kept as %+v", a)
	}
	// A capitalised article starts no name; lower-case words end one.
	for _, acr := range []string{"TCAA", "OCE", "TB"} {
		if a, ok := got[acr]; ok {
			t.Errorf("acronym %s = %+v, want none", acr, a)
		}
	}
	// The title's names are the title's: not among the entries' acronyms.
	if _, ok := got["HM"]; ok {
		t.Error("the title's Helena Marsk gave an entry acronym")
	}
	title := tr.TitleAcronyms()
	for _, want := range []string{"HM", "CE", "CEHM", "BA"} {
		if !slices.Contains(title, want) {
			t.Errorf("TitleAcronyms() = %v, want %s among them", title, want)
		}
	}
}

func TestAcronymsPossessiveIsOneName(t *testing.T) {
	tr, err := Parse(strings.NewReader("T\n\n1. Q?\n\nThe Prime Minister's office and the Prime Minister agree.\n"))
	if err != nil {
		t.Fatal(err)
	}
	acrs := tr.Acronyms()
	if len(acrs) != 1 || acrs[0].Acronym != "PM" {
		t.Fatalf("Acronyms() = %+v, want PM alone", acrs)
	}
}
