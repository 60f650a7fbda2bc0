// Stop-word lists for English and Russian (off by default), as a byte-keyed set.
//
// For: dropping very common words when a user asks for it. Not for: anything on by default:
// BM25's idf already discounts common words, and dropping them breaks phrase queries.

/// A set of stop words looked up by their normalized UTF-8 bytes.
struct StopWordSet: Sendable {
    let table: TermInterner

    init(_ languages: Set<Language>) {
        var table = TermInterner(capacity: 512)
        for language in languages.sorted(by: { $0.rawValue < $1.rawValue }) {
            for word in StopWordSet.words(for: language).split(separator: " ") {
                _ = table.intern(String(word))
            }
        }
        self.table = table
    }

    func contains(_ term: UnsafeRawBufferPointer) -> Bool { table.lookup(term) != nil }

    /// The list for a language (normalized forms: lowercase, ё folded to е).
    static func words(for language: Language) -> String {
        switch language {
        case .english:
            return """
                a an and are as at be but by for if in into is it no not of on or such that the their \
                then there these they this to was will with i me my we our you your he him his she her \
                its them what which who whom am were been being have has had do does did so than too \
                very can just should now from up down out off over under again further once here when \
                where why how all any both each few more most other some own same only
                """
        case .russian:
            return """
                и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по только \
                ее мне было вот от меня еще нет о из ему теперь когда даже ну вдруг ли если уже или ни \
                быть был него до вас нибудь опять уж вам ведь там потом себя ничего ей может они тут где \
                есть надо ней для мы тебя их чем была сам чтоб без будто чего раз тоже себе под будет ж \
                тогда кто этот того потому этого какой совсем ним здесь этом один почти мой тем чтобы нее \
                сейчас были куда зачем всех никогда можно при наконец два об другой хоть после над больше \
                тот через эти нас про всего них какая много разве три эту моя впрочем хорошо свою этой \
                перед иногда лучше чуть том нельзя такой им более всегда конечно всю между
                """
        case .ukrainian:
            return """
                і й та але що як на в у з із зі до від для по про при через не ні це цей ця ці той та ті \
                він вона воно вони ми ви я ти його її їх бути був була було були є або чи же ж би б лише \
                також вже ще так то там тут де коли хто який яка яке які
                """
        }
    }
}
