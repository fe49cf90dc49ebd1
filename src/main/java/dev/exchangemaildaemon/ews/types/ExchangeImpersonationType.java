package dev.exchangemaildaemon.ews.types;

import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlRootElement;
import jakarta.xml.bind.annotation.XmlType;

/** Acts as the mailbox owner: what an app-only token needs to reach a mailbox. */
@XmlRootElement(name = "ExchangeImpersonation")
@XmlType(name = "ExchangeImpersonationType")
public class ExchangeImpersonationType {

    @XmlElement(name = "ConnectingSID", required = true)
    private ConnectingSIDType connectingSid;

    ExchangeImpersonationType() {
    }

    public ExchangeImpersonationType(String primarySmtpAddress) {
        this.connectingSid = new ConnectingSIDType(primarySmtpAddress);
    }

    @XmlType(name = "ConnectingSIDType")
    static class ConnectingSIDType {

        @XmlElement(name = "PrimarySmtpAddress", required = true)
        private String primarySmtpAddress;

        ConnectingSIDType() {
        }

        ConnectingSIDType(String primarySmtpAddress) {
            this.primarySmtpAddress = primarySmtpAddress;
        }
    }
}
