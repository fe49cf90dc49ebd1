package dev.exchangemaildaemon.ews.soap;

import java.util.List;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAnyElement;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlRootElement;
import jakarta.xml.bind.annotation.XmlType;

/** A SOAP request: header blocks and one operation element in the body. */
@XmlRootElement(name = "Envelope")
@XmlType(propOrder = { "header", "body" })
@XmlAccessorType(XmlAccessType.FIELD)
public class Envelope {

    @XmlElement(name = "Header")
    private Header header;

    @XmlElement(name = "Body", required = true)
    private Body body;

    Envelope() {
    }

    public Envelope(List<Object> headerBlocks, Object operation) {
        this.header = new Header(headerBlocks);
        this.body = new Body(operation);
    }

    @XmlType(name = "Header")
    @XmlAccessorType(XmlAccessType.FIELD)
    static class Header {

        @XmlAnyElement(lax = true)
        private List<Object> blocks;

        Header() {
        }

        Header(List<Object> blocks) {
            this.blocks = blocks;
        }
    }

    @XmlType(name = "Body")
    @XmlAccessorType(XmlAccessType.FIELD)
    static class Body {

        @XmlAnyElement(lax = true)
        private Object operation;

        Body() {
        }

        Body(Object operation) {
            this.operation = operation;
        }
    }
}
