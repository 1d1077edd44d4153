/// The `key=value` records of a pax extended header (POSIX.1-2001), such as `path` and `size`.
///
/// Layout: records back to back, each `"<length> <key>=<value>\n"`, where the
/// decimal length counts the whole record including itself and the newline.
/// Values may hold any bytes (including `=` and newlines), which is why the
/// length, not a delimiter, ends a record.
enum PaxRecords {
    /// Why the records could not be parsed.
    struct Failure: Error {
        /// What was wrong, for the message.
        let reason: String
    }

    /// The records of `data`, later keys overriding earlier ones.
    static func parse(_ data: [UInt8]) throws(Failure) -> [String: String] {
        var records: [String: String] = [:]
        var position = 0
        while position < data.count {
            if data[position...].allSatisfy({ $0 == 0 }) {
                break
            }
            guard let space = data[position...].firstIndex(of: UInt8(ascii: " ")),
                  let length = Int(String(decoding: data[position..<space], as: UTF8.self)),
                  length > space - position + 1
            else {
                throw Failure(reason: "record at byte \(position) does not start with its decimal length and a space")
            }
            let end = position + length
            guard end <= data.count, data[end - 1] == UInt8(ascii: "\n") else {
                throw Failure(reason: "record at byte \(position) claims \(length) bytes but does not end with a newline there")
            }
            let body = data[(space + 1)..<(end - 1)]
            guard let equals = body.firstIndex(of: UInt8(ascii: "=")) else {
                throw Failure(reason: "record at byte \(position) has no `=` between key and value")
            }
            let key = String(decoding: body[body.startIndex..<equals], as: UTF8.self)
            records[key] = String(decoding: body[(equals + 1)...], as: UTF8.self)
            position = end
        }
        return records
    }
}
