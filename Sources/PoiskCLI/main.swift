// `poisk`: the command-line interface, a thin wrapper over the Poisk library.
//
// Exit status: 0 success (with hits or none), 1 error, 2 usage error, 3 damaged index.

import Poisk

let arguments = Array(CommandLine.arguments.dropFirst())
SystemProcess.exit(CLI.run(arguments))
