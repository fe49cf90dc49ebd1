package dev.exchangemaildaemon.ews.types;

import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlRootElement;
import jakarta.xml.bind.annotation.XmlType;

@XmlRootElement(name = "RequestServerVersion")
@XmlType(name = "")
public class RequestServerVersion {

    @XmlAttribute(name = "Version", required = true)
    private String version;

    RequestServerVersion() {
    }

    public RequestServerVersion(String version) {
        this.version = version;
    }
}
