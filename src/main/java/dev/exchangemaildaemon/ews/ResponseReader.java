package dev.exchangemaildaemon.ews;

import java.io.IOException;

import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

import dev.exchangemaildaemon.mailbox.MailboxException;
import jakarta.xml.bind.JAXBException;

/** Reads an operation's response element, the reader positioned at its start. */
@FunctionalInterface
interface ResponseReader<T> {

    T read(XMLStreamReader xml) throws XMLStreamException, JAXBException, IOException, MailboxException;
}
