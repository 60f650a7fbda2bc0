// FuzzGzip's entry point: libFuzzer in a fuzzer build, replay of files otherwise.

import FuzzSupport

runFuzzer { data, size in
    guard let data else {
        var empty: UInt8 = 0
        return fuzz(&empty, 0)
    }
    return fuzz(data, size)
}
