// FuzzSegment's entry point: libFuzzer in a fuzzer build, replay of files otherwise;
// `--write-seeds DIR` writes the seed corpus (see Seeds.swift).

import FuzzSupport

if CommandLine.arguments.count == 3 && CommandLine.arguments[1] == "--write-seeds" {
    writeSeeds(to: CommandLine.arguments[2])
} else {
    runFuzzer { data, size in
        guard let data else {
            var empty: UInt8 = 0
            return fuzz(&empty, 0)
        }
        return fuzz(data, size)
    }
}
