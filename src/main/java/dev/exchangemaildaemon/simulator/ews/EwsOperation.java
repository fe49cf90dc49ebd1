package dev.exchangemaildaemon.simulator.ews;

import org.w3c.dom.Element;

import dev.exchangemaildaemon.simulator.MailStore;

/** One EWS operation, such as FindItem: answers a request's body element with its response messages. */
interface EwsOperation {

    /**
     * Writes one response message per folder or item the request names. Runs while the caller holds the
     * {@link MailStore}'s monitor.
     *
     * @throws EwsFault when the whole request fails
     */
    void execute(Element request, EwsContext context, ResponseMessages responses) throws EwsFault;
}
