/** The SOAP 1.1 envelope around EWS requests. */
@XmlSchema(namespace = Namespaces.SOAP, elementFormDefault = XmlNsForm.QUALIFIED, xmlns = {
        @XmlNs(prefix = "soap", namespaceURI = Namespaces.SOAP),
        @XmlNs(prefix = "m", namespaceURI = Namespaces.MESSAGES),
        @XmlNs(prefix = "t", namespaceURI = Namespaces.TYPES) })
package dev.exchangemaildaemon.ews.soap;

import jakarta.xml.bind.annotation.XmlNs;
import jakarta.xml.bind.annotation.XmlNsForm;
import jakarta.xml.bind.annotation.XmlSchema;
