package org.anytls4j.host.testing;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Reads the DS component descriptions bnd generated (OSGI-INF/*.xml in the built classes): the annotations
 * themselves are not kept at run time, so this is how a test sees what SCR will see.
 */
public final class ComponentDescriptions {
    private final Document document;

    private ComponentDescriptions(Document document) {
        this.document = document;
    }

    public static ComponentDescriptions load(String componentName) throws Exception {
        String resource = "OSGI-INF/" + componentName + ".xml";
        try (InputStream in = ComponentDescriptions.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new AssertionError(resource + " was not generated");
            }
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            return new ComponentDescriptions(factory.newDocumentBuilder().parse(in));
        }
    }

    /** Each component property with its values (one for a single value, several for an array). */
    public Map<String, List<String>> properties() {
        Map<String, List<String>> properties = new LinkedHashMap<>();
        NodeList nodes = document.getElementsByTagName("property");
        for (int i = 0; i < nodes.getLength(); i++) {
            Element property = (Element) nodes.item(i);
            List<String> values = new ArrayList<>();
            if (property.hasAttribute("value")) {
                values.add(property.getAttribute("value"));
            } else {
                for (String line : property.getTextContent().split("\n")) {
                    if (!line.isBlank()) {
                        values.add(line.trim());
                    }
                }
            }
            properties.put(property.getAttribute("name"), values);
        }
        return properties;
    }

    /** The attributes of the reference called {@code name}. */
    public Map<String, String> reference(String name) {
        NodeList nodes = document.getElementsByTagName("reference");
        for (int i = 0; i < nodes.getLength(); i++) {
            Element reference = (Element) nodes.item(i);
            if (name.equals(reference.getAttribute("name"))) {
                Map<String, String> attributes = new LinkedHashMap<>();
                for (int a = 0; a < reference.getAttributes().getLength(); a++) {
                    attributes.put(reference.getAttributes().item(a).getNodeName(),
                            reference.getAttributes().item(a).getNodeValue());
                }
                return attributes;
            }
        }
        throw new AssertionError("no reference named " + name);
    }
}
