/**
 * EWS wire types in the {@code t:} namespace (types.xsd), named as the schema names them. Only the elements and
 * attributes this client sends or reads are mapped; element order follows the schema.
 */
@XmlSchema(namespace = Namespaces.TYPES, elementFormDefault = XmlNsForm.QUALIFIED, xmlns = {
        @XmlNs(prefix = "soap", namespaceURI = Namespaces.SOAP),
        @XmlNs(prefix = "m", namespaceURI = Namespaces.MESSAGES),
        @XmlNs(prefix = "t", namespaceURI = Namespaces.TYPES) })
@XmlAccessorType(XmlAccessType.FIELD)
package dev.exchangemaildaemon.ews.types;

import dev.exchangemaildaemon.ews.soap.Namespaces;
import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlNs;
import jakarta.xml.bind.annotation.XmlNsForm;
import jakarta.xml.bind.annotation.XmlSchema;
