package dev.exchangemaildaemon.ews.types;

import jakarta.xml.bind.annotation.XmlSeeAlso;
import jakarta.xml.bind.annotation.XmlType;

/** A folder named by its id or by its well-known name. */
@XmlType(name = "BaseFolderIdType")
@XmlSeeAlso({ FolderIdType.class, DistinguishedFolderIdType.class })
public abstract class BaseFolderIdType {
}
