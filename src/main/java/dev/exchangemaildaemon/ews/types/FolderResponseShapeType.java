package dev.exchangemaildaemon.ews.types;

import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlType;

@XmlType(name = "FolderResponseShapeType")
public class FolderResponseShapeType {

    @XmlElement(name = "BaseShape", required = true)
    private String baseShape;

    FolderResponseShapeType() {
    }

    private FolderResponseShapeType(String baseShape) {
        this.baseShape = baseShape;
    }

    public static FolderResponseShapeType idOnly() {
        return new FolderResponseShapeType("IdOnly");
    }
}
