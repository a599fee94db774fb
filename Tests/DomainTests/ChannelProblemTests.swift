import Domain
import Testing

@Suite("The delivery monitor's problems: stored as codes, read back whole, older sentences kept")
struct ChannelProblemTests {
    @Test("every problem survives being stored and read back, in order")
    func roundTrip() {
        let all: [ChannelProblem] = [
            .notConfigured, .unreachable, .quiet(days: 7), .failing(percent: 60, threshold: 20),
            .monitorSilent(hours: 4),
        ]
        #expect(ChannelProblem.stored(all) == "not_configured; unreachable; quiet 7; failing 60 20; monitor_silent 4")
        #expect(ChannelProblem.parse(ChannelProblem.stored(all)) == all)
        #expect(ChannelProblem.parse("") == [])
    }

    @Test("a verdict written before the codes, or a code with the wrong numbers, is shown as written")
    func older() {
        let old =
            "the SMTP server cannot be reached or refused the sign-in; 60 % of today's messages failed (above 20 %)"
        #expect(
            ChannelProblem.parse(old) == [
                .other("the SMTP server cannot be reached or refused the sign-in"),
                .other("60 % of today's messages failed (above 20 %)"),
            ])
        #expect(ChannelProblem.parse("quiet") == [.other("quiet")])
        #expect(ChannelProblem.parse("failing 60") == [.other("failing 60")])
        #expect(ChannelProblem.parse("unreachable 3") == [.other("unreachable 3")])
        #expect(ChannelProblem.other("as written").english == "as written")
        #expect(ChannelProblem.other("as written").message == nil)
    }
}
