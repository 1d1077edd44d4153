/// A grid of terminal cells in which each cell shows up to 2 × 4 dots as one Unicode braille character.
///
/// Dots are addressed in pixels from the top-left corner: `columns` cells hold
/// 2·`columns` pixels across and `rows` cells 4·`rows` pixels down. Cells without a dot
/// render as spaces.
///
/// Braille characters quadruple the vertical resolution of a text plot compared with
/// block characters, which matters for learning-rate curves only 16 rows tall, and they
/// are one column wide in every monospaced terminal font.
struct BrailleCanvas {
    let columns: Int
    let rows: Int
    private var cells: [UInt8]

    /// The bit of the braille pattern (U+2800 + bits) for each dot, by [row within the cell][column within the cell].
    private static let dotBits: [[UInt8]] = [[0x01, 0x08], [0x02, 0x10], [0x04, 0x20], [0x40, 0x80]]

    init(columns: Int, rows: Int) {
        precondition(columns > 0 && rows > 0, "A canvas needs at least one cell, got \(columns)×\(rows)")
        self.columns = columns
        self.rows = rows
        cells = [UInt8](repeating: 0, count: columns * rows)
    }

    var pixelWidth: Int { columns * 2 }
    var pixelHeight: Int { rows * 4 }

    /// Sets the dot at (x, y), counted from the top-left; dots outside the canvas are ignored.
    mutating func set(x: Int, y: Int) {
        guard (0..<pixelWidth).contains(x), (0..<pixelHeight).contains(y) else { return }
        cells[(y / 4) * columns + x / 2] |= Self.dotBits[y % 4][x % 2]
    }

    /// Sets every dot on the straight segment between two pixels, both ends included (Bresenham's algorithm).
    mutating func drawLine(from start: (x: Int, y: Int), to end: (x: Int, y: Int)) {
        let deltaX = abs(end.x - start.x)
        let deltaY = -abs(end.y - start.y)
        let stepX = start.x < end.x ? 1 : -1
        let stepY = start.y < end.y ? 1 : -1
        var error = deltaX + deltaY
        var x = start.x
        var y = start.y
        while true {
            set(x: x, y: y)
            if x == end.x && y == end.y { return }
            let doubled = 2 * error
            if doubled >= deltaY {
                error += deltaY
                x += stepX
            }
            if doubled <= deltaX {
                error += deltaX
                y += stepY
            }
        }
    }

    /// The text of cell row `row` (0 at the top), `columns` characters long.
    func line(_ row: Int) -> String {
        var text = ""
        for column in 0..<columns {
            let bits = cells[row * columns + column]
            text.unicodeScalars.append(bits == 0 ? " " : Unicode.Scalar(0x2800 + UInt32(bits))!)
        }
        return text
    }
}
