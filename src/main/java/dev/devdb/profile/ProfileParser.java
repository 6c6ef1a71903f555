package dev.devdb.profile;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/** Reads one profile document from YAML; errors name the source, line and column. */
final class ProfileParser {
    /** The same key twice in one mapping is an error, not "the last one wins". */
    private static final ObjectMapper MAPPER = new ObjectMapper(new YAMLFactory())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION.mappedFeature())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .registerModule(new SimpleModule().addDeserializer(String.class, new ScalarText()));

    private ProfileParser() {}

    /**
     * Parses a document.
     *
     * @param reader the YAML text
     * @param source how errors name the document (a path or {@code built-in:NAME})
     */
    static ProfileDocument parse(Reader reader, String source) {
        String text;
        try {
            text = read(reader);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new ProfileException(source + ": cannot read profile: it is not UTF-8 text; save it as UTF-8");
        } catch (IOException e) {
            throw new ProfileException(source + ": cannot read profile: " + e.getMessage());
        }
        try (JsonParser parser = MAPPER.createParser(text)) {
            if (parser.nextToken() == null) {
                return ProfileDocument.EMPTY;
            }
            ProfileDocument doc = MAPPER.readValue(parser, ProfileDocument.class);
            return doc == null ? ProfileDocument.EMPTY : doc;
        } catch (UnrecognizedPropertyException e) {
            String field = e.getPropertyName();
            List<JsonMappingException.Reference> path = e.getPath();
            String where = pathOf(path.subList(0, Math.max(0, path.size() - 1)));
            String prefix = where.isEmpty() ? "" : where + ".";
            String hint = Suggest.closest(field, names(e.getKnownPropertyIds()))
                    .map(s -> "; did you mean '" + prefix + s + "'?")
                    .orElse("; known fields: " + String.join(", ", names(e.getKnownPropertyIds())));
            JsonLocation key = keyLocation(text, path);
            throw new ProfileException(at(source, key != null ? key : e.getLocation()) + "unknown field '" + prefix
                    + field + "'" + hint);
        } catch (MismatchedInputException e) {
            if (e.getPath().isEmpty()) {
                throw new ProfileException(at(source, e.getLocation()) + "the profile must be a map of key: value lines"
                        + " (flavor: mysql, version: \"9.7\", ...), not a list or a single value");
            }
            String what = describe(e.getTargetType());
            throw new ProfileException(at(source, e.getLocation()) + "field '" + pathOf(e.getPath()) + "' must be "
                    + what);
        } catch (JsonProcessingException e) {
            duplicate(e, source);
            outOfRange(e, source);
            String problem = e.getOriginalMessage().lines().findFirst().orElse("invalid YAML");
            throw new ProfileException(at(source, e.getLocation()) + "invalid YAML: " + problem);
        } catch (IOException e) {
            throw new ProfileException(source + ": cannot read profile: " + e.getMessage());
        }
    }

    /** Throws the error for a number too large for its field when that is what went wrong. */
    private static void outOfRange(JsonProcessingException e, String source) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof com.fasterxml.jackson.core.exc.InputCoercionException c && c.getProcessor() != null) {
                JsonParser p = c.getProcessor();
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\(([^)]*)\\)").matcher(c.getOriginalMessage());
                String value = m.find() ? m.group(1) : "too large";
                throw new ProfileException(at(source, p.currentTokenLocation()) + "field '"
                        + pathOf(p.getParsingContext()) + "' holds a number out of range: " + value);
            }
        }
    }

    /** Throws the error for a key given twice in one mapping when that is what went wrong. */
    private static void duplicate(JsonProcessingException e, String source) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof StreamReadException r && r.getProcessor() != null
                    && r.getOriginalMessage().startsWith("Duplicate field")) {
                JsonParser p = r.getProcessor();
                throw new ProfileException(at(source, p.currentTokenLocation()) + "field '"
                        + pathOf(p.getParsingContext()) + "' is given twice; keep one");
            }
        }
    }

    private static String read(Reader reader) throws IOException {
        StringWriter text = new StringWriter();
        reader.transferTo(text);
        return text.toString();
    }

    /**
     * Where the key at {@code path} starts. Jackson reports an unknown field where it stopped after
     * skipping the field's value, so the text is scanned again for the key itself.
     */
    private static JsonLocation keyLocation(String text, List<JsonMappingException.Reference> path) {
        JsonPointer pointer = JsonPointer.empty();
        for (JsonMappingException.Reference ref : path) {
            pointer = ref.getFieldName() != null ? pointer.appendProperty(ref.getFieldName())
                    : pointer.appendIndex(ref.getIndex());
        }
        try (JsonParser p = MAPPER.createParser(text)) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t == JsonToken.FIELD_NAME && p.getParsingContext().pathAsPointer().equals(pointer)) {
                    return p.currentTokenLocation();
                }
            }
        } catch (IOException e) {
            // the location Jackson reported will do
        }
        return null;
    }

    private static List<String> names(Collection<Object> ids) {
        return ids.stream().map(String::valueOf).sorted().collect(Collectors.toList());
    }

    private static String at(String source, JsonLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return source + ": ";
        }
        return source + ":" + location.getLineNr() + ":" + location.getColumnNr() + ": ";
    }

    /** The dotted path of the field a parser is at: {@code mycnf.max_connections}. */
    private static String pathOf(JsonStreamContext context) {
        List<String> parts = new java.util.ArrayList<>();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            parts.add(0, c.inArray() ? "[" + c.getCurrentIndex() + "]" : c.getCurrentName());
        }
        return String.join(".", parts).replace(".[", "[");
    }

    private static String pathOf(List<JsonMappingException.Reference> refs) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : refs) {
            if (ref.getFieldName() != null) {
                if (path.length() > 0) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String describe(Class<?> type) {
        if (type == null) {
            return "of another type";
        }
        if (Number.class.isAssignableFrom(type) || type == int.class) {
            return "a whole number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a single value, not a list or a map";
        }
        if (java.util.Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "a map of key: value lines";
        }
        if (java.util.List.class.isAssignableFrom(type)) {
            return "a list";
        }
        return "a " + type.getSimpleName();
    }

    /**
     * Reads any YAML scalar as the text written in the file: {@code ON} stays {@code ON} (YAML 1.1
     * would read a boolean), {@code 10.10} stays {@code 10.10} (not the number 10.1).
     */
    private static final class ScalarText extends StdScalarDeserializer<String> {
        private static final long serialVersionUID = 1L;

        ScalarText() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonToken token = p.currentToken();
            if (token != null && token.isScalarValue()) {
                return p.getText();
            }
            return (String) ctxt.handleUnexpectedToken(String.class, p);
        }
    }
}
