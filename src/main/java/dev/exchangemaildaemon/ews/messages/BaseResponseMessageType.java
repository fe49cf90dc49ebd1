package dev.exchangemaildaemon.ews.messages;

import java.util.List;

import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlElementWrapper;
import jakarta.xml.bind.annotation.XmlElements;
import jakarta.xml.bind.annotation.XmlType;

/**
 * The body of every response this client unmarshals ({@code m:GetFolderResponse}, {@code m:FindItemResponse}, ...):
 * one response message per item or folder of the request, in request order.
 */
@XmlType(name = "BaseResponseMessageType")
public class BaseResponseMessageType {

    @XmlElementWrapper(name = "ResponseMessages", required = true)
    @XmlElements({
            @XmlElement(name = "GetFolderResponseMessage", type = FolderInfoResponseMessageType.class),
            @XmlElement(name = "CreateFolderResponseMessage", type = FolderInfoResponseMessageType.class),
            @XmlElement(name = "FindFolderResponseMessage", type = FindFolderResponseMessageType.class),
            @XmlElement(name = "FindItemResponseMessage", type = FindItemResponseMessageType.class),
            @XmlElement(name = "UpdateItemResponseMessage", type = ResponseMessageType.class),
            @XmlElement(name = "MoveItemResponseMessage", type = ResponseMessageType.class),
            @XmlElement(name = "DeleteItemResponseMessage", type = ResponseMessageType.class),
            @XmlElement(name = "CreateItemResponseMessage", type = ResponseMessageType.class) })
    private List<ResponseMessageType> responseMessages;

    BaseResponseMessageType() {
    }

    public List<ResponseMessageType> responseMessages() {
        return responseMessages == null ? List.of() : responseMessages;
    }
}
