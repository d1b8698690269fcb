package matcher

// The decision's boosted trees.
//
// The decision model (decision.go) blends two estimates of the probability that the best
// entry answers the query: a logistic model over the features, and gradient-boosted
// regression trees over the same features (decisionModel.trees, fitted with it by
// TestRefitDecision: 450 trees of depth 2, learning rate 0.25, at least 80 samples a leaf,
// splits at 31 quantiles of each feature). The trees see what a linear model cannot, such as
// a coverage that only counts when the passage holds it too; the blend keeps some of the
// logistic model's smoothness. Leave-one-set-out log-loss over the thirteen fit sets 0.2798
// (logistic alone) -> 0.2694 (the even average), better on 17 of the 21 labelled sets; the
// trees alone 0.2702. Over the nineteen fit sets of the fifth round, against 150 trees at rate 0.1 with 30 a leaf (0.2738;
// never-fitted sets 0.2819): 400 trees 0.2703 (0.2781), 900 with 80 a leaf 0.2683 (0.2761),
// and 300 at rate 0.2 with 50 a leaf 0.2692 (0.2781) at twice the cost of 150. Over the
// thirty-three fit sets of the round's end, against those 300 (0.2671; never-fitted 0.2526):
// 450 at 0.2 with 80 a leaf 0.2645 (0.2491), 600 at 0.2 with 80 0.2639 (0.2465), and these
// 0.2642 (0.2461) at three quarters of the cost of 600.

// boostTree is a tree of depth two, complete: the root splits, then each of its children,
// into four leaves. An inner node sends x to the left when x[feat] <= thr; a node the fit did
// not split has thr = math.MaxFloat64 (always left) and the same value in both of its
// leaves. The values have the learning rate applied.
type boostTree struct {
	feat  [3]uint8 // the root, its left child, its right child
	thr   [3]float64
	value [4]float64 // the leaves, left to right
}

// boosted is the trees' probability that the best entry answers the query.
func (d *decisionModel) boosted(x features) float64 {
	return sigmoid(treesLogit(d.treeBase, d.trees, &x))
}

// treesLogit is base plus the values of the leaves of trees that x reaches: the trees'
// log-odds (the fit in boost_fit_test.go evaluates its trees with it too).
func treesLogit(base float64, trees []boostTree, x *features) float64 {
	z := base
	for i := range trees {
		z += trees[i].at(x)
	}
	return z
}

// at is the value of the leaf that x reaches. The walk has no branch on x: which side each
// node sends x to is data, unpredictable from tree to tree, and a mispredicted branch costs
// more than the few instructions that compute both ways' index (300 trees walked with
// branches took about a microsecond more a query).
func (t *boostTree) at(x *features) float64 {
	r := b2i(x[t.feat[0]] > t.thr[0])
	l := b2i(x[t.feat[1+r]] > t.thr[1+r])
	return t.value[2*r+l]
}

// b2i is 1 for true, 0 for false (compiled to a flag set, not a branch).
func b2i(b bool) int {
	var i int
	if b {
		i = 1
	}
	return i
}
