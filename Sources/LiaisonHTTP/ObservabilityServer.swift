import Foundation
import Hummingbird
import LiaisonCore
import LiaisonStore
public import Logging
public import ServiceLifecycle

/// The HTTP server: `/healthz`, `/metrics` and the read-only dashboard (`/`, `/statements/LS-…`,
/// `/calendar`). Only `GET` (and `HEAD`) is served; nothing changes the store.
public enum ObservabilityServer {
    /// The server as a swift-service-lifecycle service, listening on `settings`; it stops
    /// accepting and finishes the requests in hand on a graceful shutdown of its group.
    public static func service(settings: HTTPSettings, context: ObservabilityContext, logger: Logger) -> any Service {
        application(context: context, address: .hostname(settings.host, port: settings.port), logger: logger)
    }

    /// The application (also what the tests drive in-process).
    static func application(context: ObservabilityContext, address: BindAddress, logger: Logger)
        -> some ApplicationProtocol & Service
    {
        Application(
            router: router(context: context, logger: logger),
            configuration: ApplicationConfiguration(address: address, serverName: "liaison"),
            logger: logger)
    }

    static func router(context: ObservabilityContext, logger: Logger) -> Hummingbird.Router<BasicRequestContext> {
        let router = Hummingbird.Router()
        router.get("/healthz") { _, _ -> Response in
            let report = await HealthReport.check(context)
            if !report.isHealthy { logger.warning("health check failed", metadata: ["health": "\(report.text)"]) }
            return text(report.text, status: report.isHealthy ? .ok : .serviceUnavailable)
        }
        router.get("/metrics") { _, _ -> Response in
            do {
                return text(try await MetricsExposition.render(context), status: .ok, type: MetricsExposition.contentType)
            } catch {
                logger.error("metrics failed", metadata: ["error": "\(error)"])
                return text("metrics unavailable: \(error)\n", status: .internalServerError)
            }
        }
        router.get("/") { request, _ -> Response in
            let query = StatementQuery(parameters: parameters(request))
            return try await page { try await DashboardPages.index(context, query: query) }
        }
        router.get("/calendar") { _, _ -> Response in
            try await page { try await DashboardPages.calendar(context) }
        }
        router.get("/statements/:reference") { _, requestContext -> Response in
            guard let text = requestContext.parameters.get("reference"), let reference = StatementReference(text) else {
                return HTTPText.notFound
            }
            return try await page { try await DashboardPages.statement(context, reference: reference) }
        }
        return router
    }

    /// An HTML page, or 404 when `render` finds nothing.
    static func page(_ render: () async throws -> String?) async throws -> Response {
        guard let html = try await render() else { return HTTPText.notFound }
        return text(html, status: .ok, type: "text/html; charset=utf-8")
    }

    static func parameters(_ request: Request) -> [String: String] {
        var values: [String: String] = [:]
        for (key, value) in request.uri.queryParameters { values[String(key)] = String(value) }
        return values
    }

    static func text(_ body: String, status: HTTPResponse.Status, type: String = "text/plain; charset=utf-8") -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        // The pages are read-only views of changing data; no script, no framing.
        headers[.cacheControl] = "no-store"
        headers[.contentSecurityPolicy] = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }
}

/// Fixed responses.
enum HTTPText {
    static var notFound: Response { ObservabilityServer.text("not found\n", status: .notFound) }
}
