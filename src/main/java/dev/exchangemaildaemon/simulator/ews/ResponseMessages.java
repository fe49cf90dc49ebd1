package dev.exchangemaildaemon.simulator.ews;

import java.util.function.Consumer;

import dev.exchangemaildaemon.simulator.ItemError;
import dev.exchangemaildaemon.simulator.ResponseCodes;

/** Writes the {@code m:XxxResponseMessage} elements of one operation's response, one per item or folder. */
final class ResponseMessages {

    private final XmlOut xml;
    private final String element;

    ResponseMessages(XmlOut xml, String operation) {
        this.xml = xml;
        this.element = operation + "ResponseMessage";
    }

    void success() {
        success(content -> { });
    }

    void success(Consumer<XmlOut> content) {
        xml.start("m", element).attribute("ResponseClass", "Success");
        xml.leaf("m", "ResponseCode", ResponseCodes.NO_ERROR);
        content.accept(xml);
        xml.end();
    }

    void error(String code) {
        error(code, content -> { });
    }

    /** An error message; {@code content} is what Exchange adds after the code, such as an empty {@code m:Items}. */
    void error(String code, Consumer<XmlOut> content) {
        error(new ItemError(code), content);
    }

    void error(ItemError error, Consumer<XmlOut> content) {
        xml.start("m", element).attribute("ResponseClass", "Error");
        xml.leaf("m", "MessageText", error.text());
        xml.leaf("m", "ResponseCode", error.code());
        xml.leaf("m", "DescriptiveLinkKey", "0");
        content.accept(xml);
        xml.end();
    }
}
