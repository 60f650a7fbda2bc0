// Helpers of the engine's tests that need Poisk (the rest are in Tests/PoiskTestSupport).

import PoiskTestSupport

@testable import Poisk

extension Fixtures {
    /// The seed articles as the loader reads them.
    static func seedDocuments() throws -> [Document] {
        var loader = DocumentLoader()
        return try loader.load(paths: [seeds])
    }
}
