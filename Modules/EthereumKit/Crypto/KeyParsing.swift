extension String {
    /// The string without leading and trailing whitespace: keys and signatures pasted from files often end in a newline.
    func trimmedForKeyParsing() -> Substring {
        var slice = self[...]
        while let first = slice.first, first.isWhitespace { slice.removeFirst() }
        while let last = slice.last, last.isWhitespace { slice.removeLast() }
        return slice
    }
}
