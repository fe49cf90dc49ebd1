/**
 * EWS operation requests and responses in the {@code m:} namespace (messages.xsd), named as the schema names them.
 * Their child elements are in {@code m:}, the types of those children in {@code t:}.
 */
@XmlSchema(namespace = Namespaces.MESSAGES, elementFormDefault = XmlNsForm.QUALIFIED, xmlns = {
        @XmlNs(prefix = "soap", namespaceURI = Namespaces.SOAP),
        @XmlNs(prefix = "m", namespaceURI = Namespaces.MESSAGES),
        @XmlNs(prefix = "t", namespaceURI = Namespaces.TYPES) })
@XmlAccessorType(XmlAccessType.FIELD)
package dev.exchangemaildaemon.ews.messages;

import dev.exchangemaildaemon.ews.soap.Namespaces;
import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlNs;
import jakarta.xml.bind.annotation.XmlNsForm;
import jakarta.xml.bind.annotation.XmlSchema;
