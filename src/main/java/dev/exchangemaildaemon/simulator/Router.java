package dev.exchangemaildaemon.simulator;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import dev.exchangemaildaemon.simulator.entra.TokenEndpoint;
import dev.exchangemaildaemon.simulator.entra.UserRealmEndpoint;
import dev.exchangemaildaemon.simulator.ews.EwsEndpoint;
import dev.exchangemaildaemon.simulator.graph.GraphEndpoint;

/** Sends each request to the endpoint for its path; anything else is 404, and logged, as a client's mistake. */
final class Router implements HttpHandler {

    private static final System.Logger LOG = System.getLogger(Router.class.getName());
    private static final Pattern TOKEN = Pattern.compile("/([^/]+)/oauth2/v2\\.0/token");
    private static final Pattern USER_REALM = Pattern.compile("/common/userrealm/([^/]+)");
    private static final String EWS = "/ews/exchange.asmx";

    private final TokenEndpoint tokenEndpoint;
    private final UserRealmEndpoint userRealmEndpoint;
    private final EwsEndpoint ewsEndpoint;
    private final GraphEndpoint graphEndpoint;

    Router(TokenEndpoint tokenEndpoint, UserRealmEndpoint userRealmEndpoint, EwsEndpoint ewsEndpoint,
           GraphEndpoint graphEndpoint) {
        this.tokenEndpoint = tokenEndpoint;
        this.userRealmEndpoint = userRealmEndpoint;
        this.ewsEndpoint = ewsEndpoint;
        this.graphEndpoint = graphEndpoint;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            route(exchange);
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "simulator failed on " + exchange.getRequestMethod() + " "
                    + exchange.getRequestURI(), e);
            if (exchange.getResponseCode() == -1) {
                HttpExchanges.sendEmpty(exchange, 500);
            }
        }
    }

    private void route(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getRawPath();
        Matcher token = TOKEN.matcher(path);
        Matcher userRealm = USER_REALM.matcher(path);
        if (path.equalsIgnoreCase(EWS)) {
            ewsEndpoint.handle(exchange);
        } else if (path.startsWith(GraphEndpoint.VERSION + "/")) {
            graphEndpoint.handle(exchange);
        } else if (method.equals("POST") && token.matches()) {
            tokenEndpoint.handle(exchange, decode(token.group(1)));
        } else if (method.equals("GET") && userRealm.matches()) {
            userRealmEndpoint.handle(exchange, decode(userRealm.group(1)));
        } else {
            LOG.log(Level.WARNING, "simulator has no endpoint for {0} {1}", method, exchange.getRequestURI());
            HttpExchanges.sendEmpty(exchange, 404);
        }
    }

    private static String decode(String segment) {
        return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
