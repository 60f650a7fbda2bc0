// poisk-bench: measures Poisk's indexing, query and analysis paths (release builds only).
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

exit(BenchCLI.run(Array(CommandLine.arguments.dropFirst())))
