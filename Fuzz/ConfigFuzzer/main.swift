// libFuzzer target: the configuration loader. The input is the text of liaison.yaml, given to
// ConfigurationLoader.parse (the same path `load` takes after reading the file), which must
// return a configuration or throw ConfigError, never trap or hang. Relative paths in the input
// resolve against a folder that does not exist, so included files are reported missing.
// Built by scripts/fuzz against the instrumented libyaml, Yams, MIME, LiaisonCore, swift-log,
// MailTransport modules and Sources/LiaisonDaemon/Configuration.
import LiaisonDaemon

@_cdecl("LLVMFuzzerTestOneInput")
public func configFuzzerTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    var sink = 0
    do {
        let configuration = try ConfigurationLoader.parse(text, file: "/nonexistent-liaison-fuzz/liaison.yaml")
        sink &+= configuration.rules.count &+ configuration.directory.groups.count
    } catch {
        sink &+= "\(error)".utf8.count
    }
    if sink == 0x7FFF_FFFF_FFFF { print(sink) }
    return 0
}
