import Domain
import Foundation
import Vapor
import Views

/// An issued document as PDF, printed by headless Chromium from the document's own print page.
///
/// Why Chromium and not a renderer of our own: the print page already lays the document out for A4
/// (headers on every page, page breaks, SVG charts), and Arabic needs shaping and bidirectional
/// layout that only a browser engine does right. A PDF is made once per issued document and kept.
/// Chromium is a Debian package (`chromium`); `BEARING_CHROMIUM` names another binary. Without one
/// the PDF route says so and the print page remains (the browser's "Save as PDF" gives the same file).
enum BriefPDF {
    static func chromium(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let chosen = environment["BEARING_CHROMIUM"], !chosen.isEmpty {
            return FileManager.default.isExecutableFile(atPath: chosen) ? chosen : nil
        }
        return ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }

    enum Failure: Error, CustomStringConvertible {
        case noChromium
        case failed(String)
        var description: String {
            switch self {
            case .noChromium: "No Chromium on this server (install chromium, or set BEARING_CHROMIUM)."
            case .failed(let why): "Chromium could not print the document: \(why)"
            }
        }
    }

    /// The document's print page (no account's chrome: it prints nothing of it), standalone, as PDF.
    static func make(_ document: BriefDocument, operationName: String, printedAt: Date, chromium: String)
        async throws -> Data
    {
        let page = PageChrome(
            title: document.title(document.strings), strings: document.strings, csrf: "", hasSession: false,
            user: nil, path: "/", flash: nil)
        let html = Views.Layout.document(
            page,
            body: BriefPrint.view(
                BriefPrint.Model(operationName: operationName, document: document, printedAt: printedAt), page))
        let stylesheet = try String(contentsOfFile: Assets.directory + "bearing.css", encoding: .utf8)
        return try await print(standalone(html.html, stylesheet: stylesheet), chromium: chromium)
    }

    /// The page made standalone: the stylesheet inlined, scripts left out (nothing to run on paper).
    static func standalone(_ html: String, stylesheet: String) -> String {
        var page = html
        if let link = page.range(of: #"<link rel="stylesheet"[^>]*>"#, options: .regularExpression) {
            page.replaceSubrange(link, with: "<style>\n" + stylesheet + "\n</style>")
        }
        while let script = page.range(of: #"<script[^>]*></script>"#, options: .regularExpression) {
            page.removeSubrange(script)
        }
        return page
    }

    /// Prints `html` to PDF; at most `timeout` seconds.
    static func print(_ html: String, chromium: String, timeout: TimeInterval = 90) async throws -> Data {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bearing-pdf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let page = folder.appendingPathComponent("brief.html")
        let pdf = folder.appendingPathComponent("brief.pdf")
        try Data(html.utf8).write(to: page)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: chromium)
        process.arguments = [
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-extensions", "--no-first-run",
            "--user-data-dir=" + folder.appendingPathComponent("profile").path, "--no-pdf-header-footer",
            "--print-to-pdf=" + pdf.path, page.absoluteString,
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do { try process.run() } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: Failure.failed("\(error)"))
                return
            }
            // A Chromium that hangs is stopped; its status then says so.
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout) {
                if process.isRunning { process.terminate() }
            }
        }
        guard status == 0, let data = try? Data(contentsOf: pdf), data.starts(with: Array("%PDF".utf8)) else {
            throw Failure.failed("exit status \(status)")
        }
        return data
    }
}
