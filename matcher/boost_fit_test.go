package matcher

import (
	"math"
	"path/filepath"
	"slices"
	"sort"
)

// The boosted trees' fitting (see boost.go), used by TestRefitDecision beside fitLogistic.

const (
	boostRounds  = 450 // trees
	boostDepth   = 2
	boostRate    = 0.25 // learning rate, folded into the leaves' values
	boostMinLeaf = 80   // samples a leaf holds at least
	boostL2      = 1.0  // ridge penalty on a leaf's value
	boostBins    = 32   // a feature's splits are at its 31 inner quantiles
)

// boostModel is a fitted tree ensemble: base log-odds plus each tree's leaf value.
type boostModel struct {
	base  float64
	trees []boostTree
}

func (b boostModel) p(x features) float64 { return sigmoid(treesLogit(b.base, b.trees, &x)) }

// fittedModel is the decision's model: a logistic model's probability and the boosted
// trees', blended (blend).
type fittedModel struct {
	lin     model
	boost   boostModel
	logOdds bool // fitted on the embedded transcript's queries alone
}

func (d fittedModel) p(x features) float64 {
	return capEvidence(blend(d.lin.p(x), d.boost.p(x), d.logOdds, treeless(d.lin.w, x, d.logOdds)), x)
}

// otherBriefingWeight is how many times a query about another briefing than the embedded one
// counts in a fit (each is repeated so often): the model fitted with them, the general one,
// decides only for the transcripts operators load, the embedded transcript having its own.
// Its other briefings' sets, each briefing left out, at 1, 3, 6 and 10: log-loss 0.4256,
// 0.4122, 0.4041, 0.4038, AUC 0.840, 0.845, 0.847, 0.847; the other transcripts never fitted
// 0.4659, 0.4511, 0.4485, 0.4464; answered right at the threshold 73.5%, 73.0%, 73.4%, 73.6%.
const otherBriefingWeight = 6

func fitDecision(ss []sample) fittedModel {
	var weighted []sample
	for _, s := range ss {
		weighted = append(weighted, s)
		if filepath.Dir(s.set) != "." {
			for range otherBriefingWeight - 1 {
				weighted = append(weighted, s)
			}
		}
	}
	oneTranscript := true
	for _, s := range ss {
		oneTranscript = oneTranscript && filepath.Dir(s.set) == "."
	}
	return fittedModel{lin: fitLogistic(weighted), boost: fitBoosted(weighted), logOdds: oneTranscript}
}

// fitBoosted fits gradient-boosted regression trees of depth two to the log-loss of ss
// (Newton steps: a leaf's value is its gradients' sum over its hessians' plus boostL2), each
// split chosen among every feature's quantiles by the gain in that penalised fit.
func fitBoosted(ss []sample) boostModel {
	n := len(ss)
	y := make([]float64, n)
	pos := 0.0
	for i, s := range ss {
		if s.rankedRight {
			y[i], pos = 1, pos+1
		}
	}
	pos = min(max(pos, 1), float64(n)-1)
	b := boostModel{base: math.Log(pos / (float64(n) - pos))}
	// Each sample's bin per feature: bin k holds the values in (cuts[k-1], cuts[k]], so a
	// split "x <= cuts[k]" sends bins 0..k left.
	var cuts [nFeatures][]float64
	bins := make([][nFeatures]uint8, n)
	vals := make([]float64, n)
	for f := range nFeatures {
		for i, s := range ss {
			vals[i] = s.x[f]
		}
		sort.Float64s(vals)
		for q := 1; q < boostBins; q++ {
			if v := vals[q*n/boostBins]; len(cuts[f]) == 0 || cuts[f][len(cuts[f])-1] != v {
				cuts[f] = append(cuts[f], v)
			}
		}
		for i, s := range ss {
			bins[i][f] = uint8(sort.SearchFloat64s(cuts[f], s.x[f]))
		}
	}
	z := slices.Repeat([]float64{b.base}, n)
	grad, hess := make([]float64, n), make([]float64, n)
	leaf := func(idx []int) float64 {
		var g, h float64
		for _, i := range idx {
			g, h = g+grad[i], h+hess[i]
		}
		return boostRate * g / (h + boostL2)
	}
	// split returns the best split of idx, or ok false when none gains or leaves fewer than
	// boostMinLeaf samples on a side.
	split := func(idx []int) (f int, thr float64, left, right []int, ok bool) {
		var g, h float64
		for _, i := range idx {
			g, h = g+grad[i], h+hess[i]
		}
		parent := g * g / (h + boostL2)
		best, bf, bk := 1e-12, -1, 0
		for f := range nFeatures {
			var hg, hh [boostBins]float64
			var hn [boostBins]int
			for _, i := range idx {
				k := bins[i][f]
				hg[k], hh[k], hn[k] = hg[k]+grad[i], hh[k]+hess[i], hn[k]+1
			}
			var gl, hl float64
			nl := 0
			for k := range cuts[f] {
				gl, hl, nl = gl+hg[k], hl+hh[k], nl+hn[k]
				if nl < boostMinLeaf || len(idx)-nl < boostMinLeaf {
					continue
				}
				gr, hr := g-gl, h-hl
				if gain := gl*gl/(hl+boostL2) + gr*gr/(hr+boostL2) - parent; gain > best {
					best, bf, bk = gain, f, k
				}
			}
		}
		if bf < 0 {
			return 0, 0, nil, nil, false
		}
		for _, i := range idx {
			if int(bins[i][bf]) <= bk {
				left = append(left, i)
			} else {
				right = append(right, i)
			}
		}
		return bf, cuts[bf][bk], left, right, true
	}
	all := make([]int, n)
	for i := range all {
		all[i] = i
	}
	for range boostRounds {
		for i := range ss {
			p := sigmoid(z[i])
			grad[i], hess[i] = y[i]-p, p*(1-p)
		}
		t := boostTree{thr: [3]float64{math.MaxFloat64, math.MaxFloat64, math.MaxFloat64}}
		halves := [2][]int{all, nil}
		if f, thr, l, r, ok := split(all); ok {
			t.feat[0], t.thr[0], halves = uint8(f), thr, [2][]int{l, r}
		}
		for c, idx := range halves {
			if f, thr, l, r, ok := split(idx); ok {
				t.feat[1+c], t.thr[1+c] = uint8(f), thr
				t.value[2*c], t.value[2*c+1] = leaf(l), leaf(r)
			} else if len(idx) > 0 {
				t.value[2*c], t.value[2*c+1] = leaf(idx), leaf(idx)
			}
		}
		b.trees = append(b.trees, t)
		for i, s := range ss {
			z[i] += t.at(&s.x)
		}
	}
	return b
}
