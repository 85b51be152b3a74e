import BigInt

/// EIP-712 typed structured data: what `eth_signTypedData_v4` and eth-account's
/// `encode_typed_data(full_message=...)` take.
///
/// ```json
/// {"types": {"EIP712Domain": [...], "Mail": [{"name": "from", "type": "Person"}, ...], ...},
///  "primaryType": "Mail", "domain": {"name": "Ether Mail", "chainId": 1, ...}, "message": {...}}
/// ```
///
/// `signingDigest()` is keccak256(0x19 0x01 ‖ domainSeparator ‖ hashStruct(primaryType, message)).
/// Values are read as MetaMask and eth-account read them: integers from JSON numbers or decimal /
/// `0x` strings, bytes from `0x` hex (other strings as their UTF-8), missing struct fields as zero
/// and missing `string`/`bytes` as empty.
public struct TypedData: Sendable, Hashable {
    /// One member of a struct type: `{"name": "wallet", "type": "address"}`.
    public struct Field: Sendable, Hashable, Codable {
        public var name: String
        public var type: String

        public init(name: String, type: String) {
            self.name = name
            self.type = type
        }
    }

    /// Struct types by name; may include `EIP712Domain`.
    public var types: [String: [Field]]
    /// The struct type of `message`.
    public var primaryType: String
    /// The domain's fields (`name`, `version`, `chainId`, `verifyingContract`, `salt`).
    public var domain: [String: Value]
    /// The message, an instance of `primaryType`.
    public var message: [String: Value]

    public init(types: [String: [Field]], primaryType: String, domain: [String: Value], message: [String: Value]) {
        self.types = types
        self.primaryType = primaryType
        self.domain = domain
        self.message = message
    }

    /// Reads the JSON form, keeping every number exact.
    public init(json: some Collection<UInt8>) throws(TypedDataError) {
        let root = try TypedDataJSONParser.parse(Array(json))
        guard case .object(let object) = root else {
            throw TypedDataError(path: "", reason: "expected a JSON object with types, primaryType, domain and message")
        }
        guard case .object(let typesObject)? = object["types"] else {
            throw TypedDataError(path: "types", reason: "missing or not an object")
        }
        var types: [String: [Field]] = [:]
        for (name, definition) in typesObject {
            guard case .array(let members) = definition else {
                throw TypedDataError(path: "types.\(name)", reason: "expected an array of {name, type} objects")
            }
            var fields: [Field] = []
            for (index, member) in members.enumerated() {
                guard case .object(let pair) = member, case .string(let fieldName)? = pair["name"],
                      case .string(let fieldType)? = pair["type"] else {
                    throw TypedDataError(path: "types.\(name)[\(index)]", reason: "expected {\"name\": string, \"type\": string}")
                }
                fields.append(Field(name: fieldName, type: fieldType))
            }
            types[name] = fields
        }
        guard case .string(let primaryType)? = object["primaryType"] else {
            throw TypedDataError(path: "primaryType", reason: "missing or not a string")
        }
        let domain: [String: Value]
        switch object["domain"] {
        case .object(let fields)?: domain = fields
        case nil, .null?: domain = [:]
        default: throw TypedDataError(path: "domain", reason: "expected an object")
        }
        guard case .object(let message)? = object["message"] else {
            throw TypedDataError(path: "message", reason: "missing or not an object")
        }
        self.init(types: types, primaryType: primaryType, domain: domain, message: message)
    }

    /// Reads the JSON form from text.
    public init(json: String) throws(TypedDataError) {
        try self.init(json: Array(json.utf8))
    }

    // MARK: - Hashing

    /// The fields of `EIP712Domain`: as declared in `types`, else the standard fields present in `domain`
    /// in the standard order (name, version, chainId, verifyingContract, salt).
    public func domainFields() throws(TypedDataError) -> [Field] {
        if let declared = types["EIP712Domain"] { return declared }
        let standard: [(String, String)] = [("name", "string"), ("version", "string"), ("chainId", "uint256"),
                                            ("verifyingContract", "address"), ("salt", "bytes32")]
        for key in domain.keys.sorted() where !standard.contains(where: { $0.0 == key }) {
            throw TypedDataError(path: "domain.\(key)", reason: "not a standard EIP712Domain field; declare EIP712Domain in types to use it")
        }
        return standard.filter { domain[$0.0] != nil }.map { Field(name: $0.0, type: $0.1) }
    }

    /// `encodeType` of a struct type: `Mail(Person from,Person to,string contents)Person(string name,address wallet)`.
    public func encodeType(_ typeName: String) throws(TypedDataError) -> String {
        try encoder().encodeType(typeName)
    }

    /// keccak256(encodeType(typeName)).
    public func typeHash(_ typeName: String) throws(TypedDataError) -> [UInt8] {
        Keccak256.hash(Array(try encodeType(typeName).utf8))
    }

    /// `encodeData`: typeHash followed by each field's 32-byte encoding.
    public func encodeData(_ typeName: String, _ value: [String: Value]) throws(TypedDataError) -> [UInt8] {
        var encoder = try encoder()
        return try encoder.encodeData(typeName, value, path: typeName)
    }

    /// hashStruct(typeName, value) = keccak256(encodeData(typeName, value)).
    public func hashStruct(_ typeName: String, _ value: [String: Value]) throws(TypedDataError) -> [UInt8] {
        Keccak256.hash(try encodeData(typeName, value))
    }

    /// hashStruct of the domain.
    public func domainSeparator() throws(TypedDataError) -> [UInt8] {
        var encoder = try encoder()
        return Keccak256.hash(try encoder.encodeData("EIP712Domain", domain, path: "domain"))
    }

    /// hashStruct(primaryType, message).
    public func messageHash() throws(TypedDataError) -> [UInt8] {
        var encoder = try encoder()
        return Keccak256.hash(try encoder.encodeData(primaryType, message, path: primaryType))
    }

    /// The digest that gets signed: keccak256(0x19 0x01 ‖ domainSeparator ‖ hashStruct(message)).
    /// When `primaryType` is `EIP712Domain` the message hash is left out, as MetaMask does.
    public func signingDigest() throws(TypedDataError) -> [UInt8] {
        var preimage: [UInt8] = [0x19, 0x01]
        preimage.reserveCapacity(66)
        preimage += try domainSeparator()
        if primaryType != "EIP712Domain" {
            preimage += try messageHash()
        }
        return Keccak256.hash(preimage)
    }

    // MARK: - Signing

    /// Signs `signingDigest()` with `key`: the signature `eth_signTypedData_v4` returns
    /// (`serialized` is r ‖ s ‖ v with v 27 or 28).
    public func sign(with key: PrivateKey) throws(TypedDataError) -> Signature {
        let digest = try signingDigest()
        do throws(SignatureError) {
            return try key.sign(digest: digest)
        } catch {
            throw TypedDataError(path: "", reason: error.description)
        }
    }

    /// The address whose key produced `signature` over this typed data.
    public func recoverSigner(of signature: Signature) throws(TypedDataError) -> Address {
        let digest = try signingDigest()
        do throws(SignatureError) {
            return try signature.recoverAddress(digest: digest)
        } catch {
            throw TypedDataError(path: "", reason: error.description)
        }
    }

    private func encoder() throws(TypedDataError) -> TypedDataEncoder {
        var allTypes = types
        if allTypes["EIP712Domain"] == nil { allTypes["EIP712Domain"] = try domainFields() }
        return TypedDataEncoder(types: allTypes)
    }
}

extension TypedData: Codable {
    private enum CodingKeys: String, CodingKey {
        case types, primaryType, domain, message
    }

    /// Through `JSONDecoder`, integers beyond 38 digits lose precision; prefer `TypedData(json:)`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(types: try container.decode([String: [Field]].self, forKey: .types),
                  primaryType: try container.decode(String.self, forKey: .primaryType),
                  domain: try container.decodeIfPresent([String: Value].self, forKey: .domain) ?? [:],
                  message: try container.decode([String: Value].self, forKey: .message))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        var allTypes = types
        if allTypes["EIP712Domain"] == nil, let fields = try? domainFields() { allTypes["EIP712Domain"] = fields }
        try container.encode(allTypes, forKey: .types)
        try container.encode(primaryType, forKey: .primaryType)
        try container.encode(domain, forKey: .domain)
        try container.encode(message, forKey: .message)
    }
}
