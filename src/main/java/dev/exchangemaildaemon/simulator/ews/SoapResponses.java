package dev.exchangemaildaemon.simulator.ews;

import java.util.Map;

/** Writes whole SOAP envelopes as Exchange Online does: an operation's response, or a fault. */
public final class SoapResponses {

    /** Writes an operation's response messages; may give up with a fault instead. */
    @FunctionalInterface
    interface Body {
        void write(ResponseMessages messages) throws EwsFault;
    }

    private SoapResponses() {
    }

    static String response(String operation, Body body) throws EwsFault {
        XmlOut xml = new XmlOut();
        xml.start("s", "Envelope").declare("s");
        xml.start("s", "Header");
        xml.start("h", "ServerVersionInfo")
                .attribute("MajorVersion", "15").attribute("MinorVersion", "20")
                .attribute("MajorBuildNumber", "8769").attribute("MinorBuildNumber", "23")
                .attribute("Version", "V2018_01_08")
                .declare("h").declareDefault("t").declare("xsd", "xsi")
                .end();
        xml.end();
        xml.start("s", "Body").declare("xsi", "xsd");
        xml.start("m", operation + "Response").declare("m", "t");
        xml.start("m", "ResponseMessages");
        body.write(new ResponseMessages(xml, operation));
        xml.end().end().end().end();
        return xml.finish();
    }

    public static String fault(EwsFault fault) {
        XmlOut xml = new XmlOut();
        xml.start("s", "Envelope").declare("s");
        xml.start("s", "Body");
        xml.start("s", "Fault");
        xml.start("faultcode").declare("a").text("a:" + fault.code()).end();
        xml.start("faultstring").attribute("xml:lang", "en-US").text(fault.text()).end();
        xml.start("detail");
        xml.start("e", "ResponseCode").declare("e").text(fault.code()).end();
        xml.start("e", "Message").declare("e").text(fault.text()).end();
        if (!fault.messageXml().isEmpty()) {
            xml.start("t", "MessageXml").declare("t");
            for (Map.Entry<String, String> value : fault.messageXml().entrySet()) {
                xml.start("t", "Value").attribute("Name", value.getKey()).text(value.getValue()).end();
            }
            xml.end();
        }
        xml.end().end().end().end();
        return xml.finish();
    }
}
