// poisk-bench: measures Poisk's indexing, query and analysis paths (release builds only).
import Poisk

SystemProcess.exit(BenchCLI.run(Array(CommandLine.arguments.dropFirst())))
