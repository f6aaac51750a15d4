// The draft-07 meta-schema (http://json-schema.org/draft-07/schema#), the one document a
// $ref may name by an absolute URI without a network: schemas that validate schemas use it.
// The text is the specification's, minified; tests/js/json_schema.differential.test.js
// checks that validating against it agrees with ajv's copy on every schema of the shared
// cases and the test suite.
#include "validation/metaschema.h"

namespace signalkit::schema_internal {

std::string_view draft07_metaschema() {
  static constexpr char kText[] =
    R"json({"$schema":"http://json-schema.org/draft-07/schema#","$id":"http://json-schema.org/draft-07/sche)json"
    R"json(ma#","title":"Core schema meta-schema","definitions":{"schemaArray":{"type":"array","minItems":1)json"
    R"json(,"items":{"$ref":"#"}},"nonNegativeInteger":{"type":"integer","minimum":0},"nonNegativeIntegerDe)json"
    R"json(fault0":{"allOf":[{"$ref":"#/definitions/nonNegativeInteger"},{"default":0}]},"simpleTypes":{"en)json"
    R"json(um":["array","boolean","integer","null","number","object","string"]},"stringArray":{"type":"arra)json"
    R"json(y","items":{"type":"string"},"uniqueItems":true,"default":[]}},"type":["object","boolean"],"prop)json"
    R"json(erties":{"$id":{"type":"string","format":"uri-reference"},"$schema":{"type":"string","format":"u)json"
    R"json(ri"},"$ref":{"type":"string","format":"uri-reference"},"$comment":{"type":"string"},"title":{"ty)json"
    R"json(pe":"string"},"description":{"type":"string"},"default":true,"readOnly":{"type":"boolean","defau)json"
    R"json(lt":false},"examples":{"type":"array","items":true},"multipleOf":{"type":"number","exclusiveMini)json"
    R"json(mum":0},"maximum":{"type":"number"},"exclusiveMaximum":{"type":"number"},"minimum":{"type":"numb)json"
    R"json(er"},"exclusiveMinimum":{"type":"number"},"maxLength":{"$ref":"#/definitions/nonNegativeInteger")json"
    R"json(},"minLength":{"$ref":"#/definitions/nonNegativeIntegerDefault0"},"pattern":{"type":"string","fo)json"
    R"json(rmat":"regex"},"additionalItems":{"$ref":"#"},"items":{"anyOf":[{"$ref":"#"},{"$ref":"#/definiti)json"
    R"json(ons/schemaArray"}],"default":true},"maxItems":{"$ref":"#/definitions/nonNegativeInteger"},"minIt)json"
    R"json(ems":{"$ref":"#/definitions/nonNegativeIntegerDefault0"},"uniqueItems":{"type":"boolean","defaul)json"
    R"json(t":false},"contains":{"$ref":"#"},"maxProperties":{"$ref":"#/definitions/nonNegativeInteger"},"m)json"
    R"json(inProperties":{"$ref":"#/definitions/nonNegativeIntegerDefault0"},"required":{"$ref":"#/definiti)json"
    R"json(ons/stringArray"},"additionalProperties":{"$ref":"#"},"definitions":{"type":"object","additional)json"
    R"json(Properties":{"$ref":"#"},"default":{}},"properties":{"type":"object","additionalProperties":{"$r)json"
    R"json(ef":"#"},"default":{}},"patternProperties":{"type":"object","additionalProperties":{"$ref":"#"},)json"
    R"json("propertyNames":{"format":"regex"},"default":{}},"dependencies":{"type":"object","additionalProp)json"
    R"json(erties":{"anyOf":[{"$ref":"#"},{"$ref":"#/definitions/stringArray"}]}},"propertyNames":{"$ref":")json"
    R"json(#"},"const":true,"enum":{"type":"array","items":true,"minItems":1,"uniqueItems":true},"type":{"a)json"
    R"json(nyOf":[{"$ref":"#/definitions/simpleTypes"},{"type":"array","items":{"$ref":"#/definitions/simpl)json"
    R"json(eTypes"},"minItems":1,"uniqueItems":true}]},"format":{"type":"string"},"contentMediaType":{"type)json"
    R"json(":"string"},"contentEncoding":{"type":"string"},"if":{"$ref":"#"},"then":{"$ref":"#"},"else":{"$)json"
    R"json(ref":"#"},"allOf":{"$ref":"#/definitions/schemaArray"},"anyOf":{"$ref":"#/definitions/schemaArra)json"
    R"json(y"},"oneOf":{"$ref":"#/definitions/schemaArray"},"not":{"$ref":"#"}},"default":true})json";
  return std::string_view(kText, sizeof kText - 1);
}

}  // namespace signalkit::schema_internal
