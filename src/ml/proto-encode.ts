/**
 * Protobuf encoding without generated code. protobufjs's `Type.encode`, `fromObject` and `verify`
 * compile their functions with `Function` on first use, which the app's CSP (no 'unsafe-eval')
 * blocks in the browser. This walks the reflected type (`Root.fromJSON` of the vendored descriptor,
 * no code generation) and drives protobufjs's `Writer` in the same order and with the same rules
 * as protobufjs's generated encoder (fields by id, packed repeated scalars, implicit-presence
 * defaults skipped), so the bytes are the same (src/ml/onnx.test.ts checks).
 */
import protobuf from 'protobufjs/light.js';

/** protobufjs's wire types of the basic types, and which of them are 64-bit or packable. */
const basicTypes: Record<string, number | undefined> = protobuf.types.basic;
const longTypes: Record<string, number | undefined> = protobuf.types.long;
const packedTypes: Record<string, number | undefined> = protobuf.types.packed;

type Scalar = number | string | boolean | Uint8Array | protobuf.Long;
type WriteScalar = (this: protobuf.Writer, value: Scalar) => protobuf.Writer;
type WritePacked = (this: protobuf.Writer, value: Scalar[]) => protobuf.Writer;

/** The method of `Writer` that writes one value (or, with `s`, a packed array) of a basic type. */
function writerMethod<T>(writer: protobuf.Writer, name: string): T {
  const method = (writer as unknown as Record<string, unknown>)[name];
  if (typeof method !== 'function') throw new Error(`internal: protobuf Writer has no ${name}()`);
  return method as T;
}

/** True when protobufjs's encoder skips a singular field without presence: the type's default. */
function isDefault(type: string, isEnum: boolean, value: Scalar, typeDefault: unknown): boolean {
  if (isEnum) return value === typeDefault;
  if (type === 'bool') return value === false;
  if (type === 'string') return value === '';
  if (type === 'bytes') return (value as Uint8Array).length === 0;
  if (type === 'double' || type === 'float') return Object.is(value, 0);
  if (longTypes[type] !== undefined) return typeof value === 'object' ? !((value as protobuf.Long).low || (value as protobuf.Long).high) : value === 0;
  return value === 0;
}

function encodeInto(type: protobuf.Type, message: Record<string, unknown>, writer: protobuf.Writer): protobuf.Writer {
  const fields = type.fieldsArray.slice().sort((a, b) => a.id - b.id);
  for (const unresolved of fields) {
    const field = unresolved.resolve();
    const value = message[field.name];
    if (value == null || !Object.prototype.hasOwnProperty.call(message, field.name)) continue;
    if (field.map) throw new Error(`internal: map field ${type.name}.${field.name} is not supported`);
    const isEnum = field.resolvedType instanceof protobuf.Enum;
    const nested = field.resolvedType instanceof protobuf.Type ? field.resolvedType : null;
    const basic = isEnum ? 'int32' : field.type;
    const wireType = basicTypes[basic];
    const tag = (wire: number) => ((field.id << 3) | wire) >>> 0;
    const writeOne = (item: unknown) => {
      if (nested) encodeInto(nested, item as Record<string, unknown>, writer.uint32(tag(2)).fork()).ldelim();
      else writerMethod<WriteScalar>(writer, basic).call(writer.uint32(tag(wireType!)), item as Scalar);
    };
    if (field.repeated) {
      const items = value as unknown[];
      if (!items.length) continue;
      if (field.packed && packedTypes[basic] !== undefined) writerMethod<WritePacked>(writer, `${basic}s`).call(writer.uint32(tag(2)), items as Scalar[]);
      else for (const item of items) writeOne(item);
      continue;
    }
    if (!field.required && !field.hasPresence && !nested && isDefault(basic, isEnum, value as Scalar, field.typeDefault)) continue;
    writeOne(value);
  }
  return writer;
}

/** The wire bytes of `message` (a plain object with the descriptor's camelCase field names) as `type`. */
export function encodeMessage(type: protobuf.Type, message: Record<string, unknown>): Uint8Array {
  return encodeInto(type, message, protobuf.Writer.create()).finish();
}
