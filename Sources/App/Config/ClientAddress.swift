import Foundation

/// The client's address as seen through at most a chain of trusted reverse proxies.
enum ClientAddress {
    static func resolve(peer: String?, forwardedFor: [String], trustedProxies: Set<String>) -> String {
        guard let peer else { return "unknown" }
        guard trustedProxies.contains(peer) else { return peer }
        // Each proxy appends the address it received from; read from the right, the first one that
        // is not a trusted proxy is the client (anything left of it the client could have written).
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        for hop in hops.reversed() where !trustedProxies.contains(hop) {
            return isIPAddress(hop) ? hop : peer
        }
        return peer
    }

    static func isIPAddress(_ text: String) -> Bool {
        var v4 = in_addr(), v6 = in6_addr()
        return inet_pton(AF_INET, text, &v4) == 1 || inet_pton(AF_INET6, text, &v6) == 1
    }
}
