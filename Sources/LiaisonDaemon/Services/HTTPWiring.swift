import Foundation
import LiaisonCore
import LiaisonHTTP
import LiaisonTemplates
import Logging
import ServiceLifecycle

/// Builds the HTTP server (`http:` in the configuration) for the daemon's service group.
enum HTTPWiring {
    /// The folder of the dashboard's templates inside the templates directory.
    static let webFolder = "web"

    /// The dashboard's templates directory of a configuration.
    static func webTemplatesDirectory(_ configuration: Configuration) -> String {
        URL(fileURLWithPath: configuration.templatesDirectory).appendingPathComponent(webFolder).path
    }

    /// The HTTP server as a service, or none when `http:` is absent.
    ///
    /// - Throws: ``TemplateError`` when the `web` templates cannot be loaded, so a broken
    ///   dashboard stops start-up instead of failing on the first request.
    static func services(runtime: Runtime, status: ServiceStatus, logger: Logger) throws -> [any Service] {
        let configuration = runtime.configuration
        guard let settings = configuration.http else { return [] }
        let templates = try WebTemplateLibrary(directory: webTemplatesDirectory(configuration))
        try templates.checkRequired()
        let context = ObservabilityContext(
            store: runtime.store, status: status, clock: runtime.clock, timeZone: configuration.intake.timeZone,
            pollInterval: configuration.imap.pollInterval, templates: templates)
        var httpLogger = logger
        httpLogger[metadataKey: "component"] = "http"
        logger.info("http server listening", metadata: ["http.host": "\(settings.host)", "http.port": "\(settings.port)"])
        return [ObservabilityServer.service(settings: settings, context: context, logger: httpLogger)]
    }

    /// For `check-config`: why the dashboard's templates cannot be used, or nil (also nil when
    /// `http:` is off, since they are then never read).
    static func templateProblem(_ configuration: Configuration) -> String? {
        guard configuration.http != nil else { return nil }
        do {
            try WebTemplateLibrary(directory: webTemplatesDirectory(configuration)).checkRequired()
            return nil
        } catch {
            return "\(error)"
        }
    }
}
