// Checks a value the engine returned against a type declared in
// www/src/types.ts, read with the TypeScript compiler API: every key the
// value has must be declared, every required key declared must be there, and
// every leaf must have its declared type. Used by types.test.mjs.
import ts from "typescript";
import { readFileSync } from "node:fs";

/** The interfaces and type aliases of a TypeScript file, by name. */
export function readDeclarations(path) {
  const source = ts.createSourceFile(path, readFileSync(path, "utf8"), ts.ScriptTarget.ES2022, true);
  const declarations = new Map();
  for (const statement of source.statements) {
    if (ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement)) {
      declarations.set(statement.name.text, statement);
    }
  }
  return declarations;
}

/**
 * The differences between `value` and the declared type `name`, one line
 * each, array indices written `[]` so each difference is listed once.
 */
export function differences(declarations, name, value) {
  const found = new Set();
  checkNamed(declarations, name, value, name, found);
  return [...found].sort();
}

function checkNamed(declarations, name, value, path, found) {
  const declaration = declarations.get(name);
  if (!declaration) {
    found.add(`${path}: type ${name} is not declared`);
  } else if (ts.isTypeAliasDeclaration(declaration)) {
    check(declarations, declaration.type, value, path, found);
  } else {
    checkObject(declarations, members(declarations, declaration), value, path, found);
  }
}

/** An interface's members, with those of the interfaces it extends. */
function members(declarations, declaration) {
  const inherited = (declaration.heritageClauses ?? []).flatMap((clause) =>
    clause.types.flatMap((t) => {
      const base = declarations.get(t.expression.getText());
      return base && ts.isInterfaceDeclaration(base) ? members(declarations, base) : [];
    }),
  );
  return [...inherited, ...declaration.members];
}

function check(declarations, type, value, path, found) {
  switch (type.kind) {
    case ts.SyntaxKind.StringKeyword:
      if (typeof value !== "string") found.add(`${path}: ${describe(value)} where types.ts says string`);
      return;
    case ts.SyntaxKind.NumberKeyword:
      if (typeof value !== "number") found.add(`${path}: ${describe(value)} where types.ts says number`);
      return;
    case ts.SyntaxKind.BooleanKeyword:
      if (typeof value !== "boolean") found.add(`${path}: ${describe(value)} where types.ts says boolean`);
      return;
    case ts.SyntaxKind.UnknownKeyword:
    case ts.SyntaxKind.AnyKeyword:
      return;
    case ts.SyntaxKind.NullKeyword:
      if (value !== null) found.add(`${path}: ${describe(value)} where types.ts says null`);
      return;
    case ts.SyntaxKind.ParenthesizedType:
      check(declarations, type.type, value, path, found);
      return;
    case ts.SyntaxKind.LiteralType: {
      const literal = type.literal;
      const expected =
        literal.kind === ts.SyntaxKind.NullKeyword ? null
        : literal.kind === ts.SyntaxKind.TrueKeyword ? true
        : literal.kind === ts.SyntaxKind.FalseKeyword ? false
        : ts.isNumericLiteral(literal) ? Number(literal.text)
        : literal.text;
      if (value !== expected) found.add(`${path}: ${describe(value)} where types.ts says ${type.getText()}`);
      return;
    }
    case ts.SyntaxKind.UnionType: {
      // The value must fit one member; when none fits, the differences of
      // the member it fits best are reported.
      let best = null;
      for (const member of type.types) {
        const mine = new Set();
        check(declarations, member, value, path, mine);
        if (mine.size === 0) return;
        if (best === null || mine.size < best.size) best = mine;
      }
      for (const d of best ?? []) found.add(d);
      return;
    }
    case ts.SyntaxKind.ArrayType:
      if (!Array.isArray(value)) found.add(`${path}: ${describe(value)} where types.ts says an array`);
      else for (const item of value) check(declarations, type.elementType, item, `${path}[]`, found);
      return;
    case ts.SyntaxKind.TupleType:
      if (!Array.isArray(value) || value.length !== type.elements.length) {
        found.add(`${path}: ${describe(value)} where types.ts says a tuple of ${type.elements.length}`);
      } else {
        type.elements.forEach((element, i) =>
          check(declarations, ts.isNamedTupleMember(element) ? element.type : element, value[i], `${path}[${i}]`, found),
        );
      }
      return;
    case ts.SyntaxKind.TypeLiteral:
      checkObject(declarations, type.members, value, path, found);
      return;
    case ts.SyntaxKind.TypeReference: {
      const name = type.typeName.getText();
      if (name === "Record" && type.typeArguments?.length === 2) {
        if (!isObject(value)) found.add(`${path}: ${describe(value)} where types.ts says an object`);
        else for (const [key, item] of Object.entries(value)) check(declarations, type.typeArguments[1], item, `${path}.${key}`, found);
        return;
      }
      checkNamed(declarations, name, value, path, found);
      return;
    }
    default:
      found.add(`${path}: types.ts has a type this check does not read: ${type.getText()}`);
  }
}

function checkObject(declarations, memberList, value, path, found) {
  if (!isObject(value)) {
    found.add(`${path}: ${describe(value)} where types.ts says an object`);
    return;
  }
  const props = new Map();
  let index = null;
  for (const member of memberList) {
    if (ts.isPropertySignature(member)) props.set(member.name.getText(), member);
    else if (ts.isIndexSignatureDeclaration(member)) index = member.type;
  }
  for (const [key, item] of Object.entries(value)) {
    const prop = props.get(key);
    if (prop) check(declarations, prop.type, item, `${path}.${key}`, found);
    else if (index) check(declarations, index, item, `${path}.${key}`, found);
    else found.add(`${path}.${key}: in the engine's answer, not declared in types.ts`);
  }
  for (const [key, prop] of props) {
    if (!prop.questionToken && !(key in value)) found.add(`${path}.${key}: declared required in types.ts, missing from the engine's answer`);
  }
}

function isObject(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describe(value) {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `${typeof value} ${JSON.stringify(value)}`;
}
