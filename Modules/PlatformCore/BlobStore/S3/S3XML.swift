import Foundation

#if canImport(FoundationXML)
import FoundationXML
#endif

/// The text of every element of an S3 XML response, with its parent's name: enough to read
/// listings, upload ids and error codes.
struct S3XML {
    private(set) var elements: [(name: String, parent: String, text: String)] = []

    init(_ data: Data) {
        let delegate = Collector()
        let parser = XMLParser(data: data)
        parser.delegate = delegate
        _ = parser.parse()
        elements = delegate.elements
    }

    func first(_ name: String) -> String? {
        elements.first { $0.name == name }?.text
    }

    func all(_ name: String, inside parent: String) -> [String] {
        elements.filter { $0.name == name && $0.parent == parent }.map(\.text)
    }

    private final class Collector: NSObject, XMLParserDelegate {
        var elements: [(name: String, parent: String, text: String)] = []
        var stack: [String] = []
        var text = ""

        func parser(
            _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            stack.append(elementName)
            text = ""
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            text += string
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
            stack.removeLast()
            elements.append((elementName, stack.last ?? "", text))
            text = ""
        }
    }
}
