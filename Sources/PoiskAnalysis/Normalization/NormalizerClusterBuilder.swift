// One cluster (a starter and its combining marks) of the normalizer's general path: ordered,
// stress marks and folded diacritics dropped, composed, emitted.
//
// For: TokenNormalizer's general path. Not for: words the fast path handles.

/// Accumulates one starter and its combining marks, then orders, composes and emits them.
struct NormalizerClusterBuilder {
    /// Marks buffered per cluster (the Stream-Safe Text Format allows 30).
    static var markCapacity: Int { 32 }

    let data: NormalizationData
    let foldYo: Bool
    let foldDiacritics: Bool
    /// Marks of the current cluster, packed as scalar | ccc << 21 | compositionSecond << 29.
    let marks: UnsafeMutableBufferPointer<UInt32>
    var markCount = 0
    var starter: UInt32 = 0
    var starterProps: UInt32 = 0
    var hasStarter = false
    /// Set after a mark overflow when the following marks are to be dropped until the next starter.
    var dropOrphanMarks = false
    var out: [UInt8] = []
    var script = WordScript()
    var pendingApos = false
    var lastLetter = false

    init(data: NormalizationData, options: NormalizationOptions, marks: UnsafeMutableBufferPointer<UInt32>) {
        self.data = data
        self.foldYo = options.foldYo
        self.foldDiacritics = options.foldDiacritics
        self.marks = marks
    }

    /// Adds one folded scalar with its properties.
    @inline(__always)
    mutating func feed(_ c: UInt32, _ pr: UInt32) {
        let ccc = pr & NormalizerProps.cccMask
        if ccc == 0 && NormalizerProps.cls(pr) != NormalizerProps.classMark {
            if hasStarter {
                finalize()
                if markCount == 0 && starterProps & NormalizerProps.compositionFirst != 0 && pr & NormalizerProps.compositionSecond != 0,
                    let comp = data.compose(starter, c)
                {
                    starter = comp
                    starterProps = data.properties(comp)
                    return
                }
                emit()
            } else if markCount > 0 {
                finalize()
                emit()
            }
            starter = c
            starterProps = pr
            hasStarter = true
            dropOrphanMarks = false
            return
        }
        if dropOrphanMarks { return }
        if hasStarter && foldDiacritics && NormalizerProps.cls(starterProps) == NormalizerProps.classLatin {
            return  // would be dropped by finalize() anyway
        }
        if markCount == NormalizerClusterBuilder.markCapacity {
            // Pathologically long mark sequence (beyond the Stream-Safe limit of 30): flush what we
            // have. Marks that follow are orphans; with diacritic folding on a Latin/Cyrillic starter
            // they are dropped like the ones before them.
            let cls = NormalizerProps.cls(starterProps)
            dropOrphanMarks = hasStarter && foldDiacritics && (cls == NormalizerProps.classLatin || cls == NormalizerProps.classCyrillic)
            finalize()
            emit()
            if dropOrphanMarks { return }
        }
        let second: UInt32 = pr & NormalizerProps.compositionSecond != 0 ? 1 << 29 : 0
        marks[markCount] = c | (ccc << 21) | second
        markCount &+= 1
    }

    /// Flushes the last cluster.
    mutating func finish() {
        if hasStarter || markCount > 0 {
            finalize()
            emit()
        }
    }

    /// Orders the marks canonically, drops stress/diacritic marks, composes, folds ё.
    mutating func finalize() {
        // Stable insertion sort by ccc; marks with ccc 0 are barriers.
        if markCount > 1 {
            for j in 1..<markCount {
                let m = marks[j]
                let cc = (m >> 21) & 0xFF
                if cc == 0 { continue }
                var k = j
                while k > 0 {
                    let prev = marks[k &- 1]
                    if (prev >> 21) & 0xFF > cc {
                        marks[k] = prev
                        k &-= 1
                    } else {
                        break
                    }
                }
                marks[k] = m
            }
        }
        guard hasStarter else { return }
        let cls = NormalizerProps.cls(starterProps)
        if foldDiacritics && cls == NormalizerProps.classLatin {
            markCount = 0
            return
        }
        if markCount > 0 {
            if starterProps & NormalizerProps.cyrillicVowel != 0 {
                var kept = 0
                for j in 0..<markCount {
                    let c = marks[j] & 0x1FFFFF
                    if c != 0x301 && c != 0x300 {
                        marks[kept] = marks[j]
                        kept &+= 1
                    }
                }
                markCount = kept
            }
            // Canonical composition of the starter with unblocked marks.
            var kept = 0
            var lastCCC: UInt32 = 0xFFFF_FFFF
            for j in 0..<markCount {
                let m = marks[j]
                let c = m & 0x1FFFFF
                let cc = (m >> 21) & 0xFF
                let blocked = lastCCC != 0xFFFF_FFFF && (lastCCC == 0 || lastCCC >= cc)
                if !blocked && starterProps & NormalizerProps.compositionFirst != 0 && m & (1 << 29) != 0,
                    let comp = data.compose(starter, c)
                {
                    starter = comp
                    starterProps = data.properties(comp)
                    continue
                }
                marks[kept] = m
                kept &+= 1
                lastCCC = cc
            }
            markCount = kept
        }
        if foldYo && starter == 0x451 {
            starter = 0x435
            starterProps = data.properties(0x435)
        }
        if foldDiacritics && NormalizerProps.cls(starterProps) == NormalizerProps.classCyrillic {
            markCount = 0
        }
    }

    /// Writes the current cluster to `out` and resets it.
    mutating func emit() {
        if hasStarter {
            put(starter, starterProps)
            hasStarter = false
        }
        if markCount > 0 {
            for j in 0..<markCount {
                let c = marks[j] & 0x1FFFFF
                put(c, data.properties(c))
            }
            markCount = 0
        }
    }

    /// Appends one scalar as UTF-8 and updates the summary.
    @inline(__always)
    mutating func put(_ c: UInt32, _ pr: UInt32) {
        if c < 0x80 {
            out.append(UInt8(truncatingIfNeeded: c))
        } else {
            script.isASCII = false
            if c < 0x800 {
                out.append(UInt8(truncatingIfNeeded: 0xC0 | (c >> 6)))
                out.append(UInt8(truncatingIfNeeded: 0x80 | (c & 0x3F)))
            } else if c < 0x10000 {
                out.append(UInt8(truncatingIfNeeded: 0xE0 | (c >> 12)))
                out.append(UInt8(truncatingIfNeeded: 0x80 | ((c >> 6) & 0x3F)))
                out.append(UInt8(truncatingIfNeeded: 0x80 | (c & 0x3F)))
            } else {
                out.append(UInt8(truncatingIfNeeded: 0xF0 | (c >> 18)))
                out.append(UInt8(truncatingIfNeeded: 0x80 | ((c >> 12) & 0x3F)))
                out.append(UInt8(truncatingIfNeeded: 0x80 | ((c >> 6) & 0x3F)))
                out.append(UInt8(truncatingIfNeeded: 0x80 | (c & 0x3F)))
            }
        }
        let cls = NormalizerProps.cls(pr)
        var isLetter = false
        switch cls {
        case NormalizerProps.classLatin:
            script.latinLetters &+= 1
            isLetter = true
        case NormalizerProps.classCyrillic:
            script.cyrillicLetters &+= 1
            isLetter = true
            if c == 0x456 || c == 0x457 || c == 0x454 || c == 0x491 { script.hasUkrainianLetters = true }
        case NormalizerProps.classOtherLetter:
            script.otherLetters &+= 1
            isLetter = true
        case NormalizerProps.classDigit: script.digits &+= 1
        case NormalizerProps.classMark: return
        default: break
        }
        if isLetter {
            if pendingApos { script.hasApostrophe = true }
            pendingApos = false
            lastLetter = true
        } else if c == 0x27 {
            pendingApos = lastLetter
            lastLetter = false
        } else {
            pendingApos = false
            lastLetter = false
        }
    }
}
