// Package lexicon holds general-English lexical data for the matcher's query expansion and
// its out-of-scope evidence, generated from two Debian-packaged databases into compact tables
// embedded in the binary:
//
//   - A thesaurus from WordNet 3.0 (Princeton University; Debian package wordnet-base).
//     Related returns, for a lower-case word, the single-word lemmas WordNet relates to it
//     through its three most frequent senses (ranked across parts of speech by WordNet's sense
//     tag counts): synonyms (lemmas of the same synset), derivationally related forms and
//     pertainyms, similar adjectives, and the hypernyms of the most frequent sense only, each
//     with its kind and the rank of the sense it comes from. WordNet's collocations
//     ("medical_practitioner") are left out: the matcher matches single words. A word that is
//     not a lemma is looked up by its base form (Base: WordNet's irregular inflections and
//     detachment rules, so "doctors" finds "doctor"). WordNet lists many British spellings
//     ("organisation", "defence") in the same synsets as the American ones, so each finds the
//     other as a synonym; for the others, lookups fall back on the other spelling.
//   - British and American spelling pairs from SCOWL's British-only and American-only word
//     lists, matched by the regular spelling differences (Variant: "organise" ↔ "organize",
//     "programme" ↔ "program", "travelled" ↔ "traveled"), 6,594 pairs.
//   - Word commonness from SCOWL 2020.12.07 (Kevin Atkinson's Spell Checker Oriented Word
//     Lists; Debian package scowl). Lookup and Commonness return the smallest SCOWL size level
//     (10 the most common words .. 80 the rare words of a large dictionary) at which a word is
//     listed as a general word, a name or an abbreviation, and 0 when it is not: slang
//     ("bruh", "ngl") and names no dictionary has ("Galwan") are 0. Level 95 ("insane") is
//     left out to keep the table small. Stem returns the snowball English stem of each of
//     these words from a table of one byte a word, computed with snowball when lexicon.bin
//     is built, so that stemming a word the list has costs a hash lookup.
//
// The generator writes the tables as compact gzip files (wordnet.gz, scowl.gz, variants.gz);
// the binary embeds them laid out for lookup in place instead (lexicon.bin: word lists with
// offset arrays and precomputed hash tables), so nothing is decompressed or decoded at start-up
// and a lookup reads a slot or two of the embedded data. A lemma's relations are read into a
// shared []Relation on its first lookup, and the results of the last few thousand words looked
// up are cached (wordcache), so that repeated words cost a hash and a comparison; lookups
// allocate only to fill those caches. They are safe for concurrent use.
//
// To regenerate the tables after a change to the generator (gen/main.go):
//
//	apt-get install wordnet-base scowl
//	go generate ./matcher/internal/lexicon    # gen, then lexicon.bin from its output
//
// The package's tests compare the committed gzip tables with a fresh generation when the
// Debian data is installed, and skip that comparison when it is not; they always rebuild
// lexicon.bin from the gzip tables, compare it with the committed file, and look up every
// entry of the gzip tables in it. The command relstats measures
// how often each kind and rank of relation leads a labelled query to its right entry; its
// figures, the table sizes and the benchmarks are in README.md.
//
// Licences: the WordNet 3.0 licence and SCOWL's copyright notice permit redistribution with
// their notices, which are in LICENSE-WordNet and LICENSE-SCOWL next to the tables.
package lexicon
