import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// A parsed SVG: every element with its attributes, text and ancestors, for assertions on renderer output.
final class SVGDocument: NSObject, XMLParserDelegate {
    struct Element {
        let name: String
        let attributes: [String: String]
        var text: String
        let ancestors: [Int]
    }

    private(set) var elements: [Element] = []
    private var stack: [Int] = []
    private(set) var parseError: String?

    /// Parses the SVG; `parseError` is set when it is not well-formed XML.
    init(_ svg: String) {
        super.init()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = self
        if !parser.parse() {
            parseError = parser.parserError.map { "\($0)" } ?? "unknown XML error"
        }
    }

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName qName: String?,
        attributes attributeDict: [String: String] = [:]
    ) {
        elements.append(Element(name: elementName, attributes: attributeDict, text: "", ancestors: stack))
        stack.append(elements.count - 1)
    }

    func parser(
        _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?
    ) {
        stack.removeLast()
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if let current = stack.last { elements[current].text += string }
    }

    /// Elements with the given name.
    func all(_ name: String) -> [Element] { elements.filter { $0.name == name } }

    /// Elements with the given name inside a `<g class="…">`.
    func all(_ name: String, inGroupClass groupClass: String) -> [Element] {
        elements.filter { element in
            element.name == name
                && element.ancestors.contains {
                    elements[$0].name == "g" && elements[$0].attributes["class"] == groupClass
                }
        }
    }

    /// The group with the given class.
    func group(_ groupClass: String) -> Element? {
        elements.first { $0.name == "g" && $0.attributes["class"] == groupClass }
    }

    /// The element's parent.
    func parent(of element: Element) -> Element? {
        element.ancestors.last.map { elements[$0] }
    }
}
