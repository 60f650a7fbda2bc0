// ISO 8601 dates and date-times to instants (milliseconds since 1970-01-01T00:00:00Z) and back.
//
// For: date fields (loading, the writer's conversion, query bounds, output). By hand on the
// UTF-8 bytes, proleptic Gregorian calendar, no Foundation formatter (locale-free, and fast
// enough for a value per document). Not for: durations, week dates, ordinal dates or time zone
// names.

/// Parses and prints the ISO 8601 forms date fields take.
///
/// Accepted: a date `YYYY-MM-DD`; a date-time `YYYY-MM-DDThh:mm`, with optional `:ss` and a
/// fraction of a second (`.5`, `.123456`; digits past milliseconds are dropped); `T` may be `t`
/// or a space; a zone `Z`, `±hh:mm`, `±hhmm` or `±hh`. A date-time without a zone, and a date,
/// are read as UTC. Years run from 0000 to 9999; an instant outside them is written `@` and its
/// milliseconds (`@-99999999999999`), which reads back too.
public enum ISODate {
    /// Milliseconds in a day.
    public static let millisecondsPerDay: Int64 = 86_400_000

    /// The instant of a date or date-time, in milliseconds since 1970-01-01T00:00:00Z; nil when
    /// the text is not one of the accepted forms or names an impossible date (`2025-02-30`).
    /// - Complexity: O(length of the text).
    public static func parse(_ text: String) -> Int64? { parseWithPrecision(text)?.milliseconds }

    /// Like ``parse(_:)``, and whether the text was a date alone (no time): a query bound that is
    /// a date covers the whole day.
    static func parseWithPrecision(_ text: String) -> (milliseconds: Int64, isDay: Bool)? {
        if text.hasPrefix("@") {
            guard let ms = Int64(text.dropFirst()) else { return nil }
            return (ms, false)
        }
        let b = Array(text.utf8)
        var i = 0
        func digits(_ n: Int) -> Int? {
            guard i + n <= b.count else { return nil }
            var v = 0
            for k in 0..<n {
                let c = b[i + k]
                guard c >= 0x30 && c <= 0x39 else { return nil }
                v = v * 10 + Int(c - 0x30)
            }
            i += n
            return v
        }
        func expect(_ c: UInt8) -> Bool {
            guard i < b.count, b[i] == c else { return false }
            i += 1
            return true
        }
        guard let year = digits(4), expect(0x2D), let month = digits(2), expect(0x2D), let day = digits(2),
            (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year)
        else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        if i == b.count { return (days * millisecondsPerDay, true) }
        guard b[i] == 0x54 || b[i] == 0x74 || b[i] == 0x20 else { return nil }
        i += 1
        guard let hour = digits(2), expect(0x3A), let minute = digits(2), hour < 24, minute < 60 else { return nil }
        var second = 0
        var millis = 0
        if expect(0x3A) {
            guard let s = digits(2), s < 60 else { return nil }
            second = s
            if i < b.count && (b[i] == 0x2E || b[i] == 0x2C) {
                i += 1
                var n = 0
                while i < b.count, b[i] >= 0x30 && b[i] <= 0x39 {
                    if n < 3 { millis = millis * 10 + Int(b[i] - 0x30) }
                    n += 1
                    i += 1
                }
                guard n > 0 else { return nil }
                for _ in n..<max(n, 3) { millis *= 10 }
            }
        }
        var offsetMinutes = 0
        if i < b.count {
            if b[i] == 0x5A || b[i] == 0x7A {
                i += 1
            } else if b[i] == 0x2B || b[i] == 0x2D {
                let sign = b[i] == 0x2D ? -1 : 1
                i += 1
                guard let hh = digits(2), hh <= 23 else { return nil }
                var mm = 0
                if i < b.count {
                    _ = expect(0x3A)
                    guard let m = digits(2), m < 60 else { return nil }
                    mm = m
                }
                offsetMinutes = sign * (hh * 60 + mm)
            } else {
                return nil
            }
        }
        guard i == b.count else { return nil }
        let seconds = Int64(hour * 3600 + minute * 60 + second - offsetMinutes * 60)
        return (days * millisecondsPerDay + seconds * 1000 + Int64(millis), false)
    }

    /// An instant as text: `YYYY-MM-DD` at midnight UTC, else `YYYY-MM-DDThh:mm:ssZ` with
    /// `.mmm` when there are milliseconds. Instants outside years 0000…9999 are `@` and their
    /// milliseconds (`@-99999999999999`).
    public static func format(_ milliseconds: Int64) -> String {
        let (days, rest) = floorDivide(milliseconds, millisecondsPerDay)
        let (year, month, day) = civilFromDays(days)
        guard (0...9999).contains(year) else { return "@\(milliseconds)" }
        var text = pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2)
        if rest == 0 { return text }
        let seconds = Int(rest / 1000)
        text += "T" + pad(seconds / 3600, 2) + ":" + pad(seconds / 60 % 60, 2) + ":" + pad(seconds % 60, 2)
        if rest % 1000 != 0 { text += "." + pad(Int(rest % 1000), 3) }
        return text + "Z"
    }

    private static func pad(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    private static func floorDivide(_ a: Int64, _ b: Int64) -> (Int64, Int64) {
        let q = a / b
        let r = a % b
        return r < 0 ? (q - 1, r + b) : (q, r)
    }

    static func isLeap(_ year: Int) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let m = Int64(month)
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The date of a day count since 1970-01-01 (`civil_from_days`).
    static func civilFromDays(_ days: Int64) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = Int(doy - (153 * mp + 2) / 5 + 1)
        let month = Int(mp < 10 ? mp + 3 : mp - 9)
        let year = Int(yoe + era * 400) + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }
}
