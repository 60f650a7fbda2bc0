// BM25: the one scoring formula, its upper bound for pruning, and its explanation.
//
// For: every score Poisk computes. Term and phrase scorers, every executor (windows, conjunction
// windows, Block-Max WAND, one-term blocks) and explanations call `score(tf:length:)`, so a
// document's score is the same bits whichever path computed it, and `--explain` shows exactly the
// value that ranked the hit. Not for: collection statistics (Weight gathers N, df and avgdl over
// all segments) or summing the scores of several clauses (each scorer and executor sums in its
// clauses' order, the same order everywhere).
//
//     idf   = ln(1 + (N − df + 0.5) / (df + 0.5))                  (Lucene's BM25, always > 0)
//     score = boost · idf · tf / (tf + k1 · (1 − b + b · dl / avgdl))
//
// computed as `weight · tf / (tf + normConstant + normPerLength · dl)` with the three constants
// precomputed per term: weight = boost · idf, normConstant = k1 · (1 − b), normPerLength =
// k1 · b / avgdl (k1 and 0 when avgdl is 0, a field without text). This is the one
// floating-point form: the same inputs give the same bits everywhere.

import Foundation

/// The BM25 scoring function of one term (or phrase) in one field, with the collection
/// statistics it was built from (for explanations).
struct BM25: Sendable {
    /// The inverse document frequency (a phrase: the sum of its terms' idfs).
    let idf: Double
    /// The field's boost times any query boost (boosts are folded into the leaves).
    let boost: Double
    /// Term-frequency saturation.
    let k1: Double
    /// Length normalization.
    let b: Double
    /// The field's average length over the index (0 when no document has the field).
    let averageLength: Double
    /// N: documents in the index (deleted ones included until merged away, as Lucene does).
    let docCount: Int
    /// The term's document frequency (a phrase: its rarest term's).
    let docFreq: Int
    /// boost · idf.
    let weight: Double
    /// k1 · (1 − b), or k1 when the average length is 0.
    let normConstant: Double
    /// k1 · b / avgdl, or 0 when the average length is 0.
    let normPerLength: Double

    /// Creates the scoring function of one term in one field.
    init(idf: Double, boost: Double, k1: Double, b: Double, averageLength: Double, docCount: Int, docFreq: Int) {
        self.idf = idf
        self.boost = boost
        self.k1 = k1
        self.b = b
        self.averageLength = averageLength
        self.docCount = docCount
        self.docFreq = docFreq
        weight = boost * idf
        if averageLength > 0 {
            normConstant = k1 * (1 - b)
            normPerLength = k1 * b / averageLength
        } else {
            normConstant = k1
            normPerLength = 0
        }
    }

    /// idf = ln(1 + (N − df + 0.5) / (df + 0.5)).
    static func idf(docCount: Int, docFreq: Int) -> Double {
        let n = Double(docCount)
        let df = Double(docFreq)
        return log(1 + (n - df + 0.5) / (df + 0.5))
    }

    /// The same function with its boost multiplied by `factor` (a query boost folded into a leaf).
    func boosted(by factor: Double) -> BM25 {
        BM25(
            idf: idf, boost: boost * factor, k1: k1, b: b, averageLength: averageLength, docCount: docCount,
            docFreq: docFreq)
    }

    /// The score of a document in which the term occurs `tf` times in a field of `length` tokens.
    /// - Complexity: O(1): a multiply-add, an add, a multiply and a divide.
    @inline(__always)
    func score(tf: Double, length: Double) -> Double {
        weight * tf / (tf + normConstant + normPerLength * length)
    }

    /// A bound on ``score(tf:length:)`` over documents with at most `maxTF` occurrences and at
    /// least `minLength` tokens (a block's or a whole list's, from the skip data): the score at
    /// that corner, by the same floating-point form.
    ///
    /// Exactly an upper bound in the length (each operation is monotone and `minLength` gives
    /// the smallest denominator); in the term frequency when ``boundIsExact(maxTF:minLength:)``,
    /// which the pruning executor checks before it trusts the bound.
    @inline(__always)
    func upperBound(maxTF: UInt32, minLength: UInt32) -> Double {
        score(tf: Double(maxTF), length: Double(minLength))
    }

    /// Whether ``upperBound(maxTF:minLength:)`` is at least the computed score of every document
    /// with term frequency up to `maxTF` and length at least `minLength`.
    ///
    /// The real function grows with tf: from tf to tf + 1 by the factor
    /// 1 + D / (tf · (tf + 1 + D)), D = normConstant + normPerLength · length. Each computed score
    /// is within 3 rounding errors (1.5 · 2⁻⁵² relative) of the real one, so the computed
    /// scores keep their order when that factor exceeds 1 + 10⁻¹⁵, smallest at tf = maxTF and the
    /// smallest D (length = minLength). It fails only for k1 near 0 or term frequencies in the
    /// tens of millions; Block-Max WAND then counts every document instead of pruning.
    func boundIsExact(maxTF: UInt32, minLength: UInt32) -> Bool {
        let t = Double(maxTF)
        let d = normConstant + normPerLength * Double(minLength)
        return maxTF <= 1 || d / (t * (t + 1 + d)) > 1e-15
    }

    /// How a term's (or phrase's) score in one document came about, with the value that
    /// ``score(tf:length:)`` gives, bit for bit.
    /// - Parameters:
    ///   - label: what scored (`body:missile`, `title:"air defense"`).
    ///   - tf: occurrences (of the phrase) in the field.
    ///   - length: the field's length in tokens.
    ///   - phrase: whether the idf is a phrase's sum of idfs.
    func explanation(_ label: String, tf: Double, length: Double, phrase: Bool = false) -> Explanation {
        let idfLine =
            phrase
            ? "idf, the sum of the phrase terms' idfs (N = \(docCount))"
            : "idf = ln(1 + (N − df + 0.5) / (df + 0.5)), N = \(docCount), df = \(docFreq)"
        return Explanation(
            value: score(tf: tf, length: length),
            description:
                "\(label) = boost \(fmt(boost)) · idf \(fmt(idf)) · tf / (tf + k1 · (1 − b + b · dl / avgdl))",
            details: [
                Explanation(value: idf, description: idfLine),
                Explanation(value: tf, description: phrase ? "tf, phrase occurrences in the field" : "tf, occurrences in the field"),
                Explanation(value: length, description: "dl, the field's length in tokens"),
                Explanation(value: averageLength, description: "avgdl, the field's average length"),
                Explanation(value: k1, description: "k1"),
                Explanation(value: b, description: "b"),
                Explanation(value: boost, description: "boost"),
            ])
    }
}
