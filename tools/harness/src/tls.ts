// A local certificate authority and a server certificate for the local PostgreSQL, made once.
// Why a CA and not a bare self-signed cert: clients verify the server (node-postgres treats
// sslmode=require as verify-full), so they need a trust anchor; the CA is that anchor and is handed
// to both services through DATABASE_CA_CERT. Nobody ever sets rejectUnauthorized: false.
import { webcrypto } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import "reflect-metadata"; // @peculiar/x509 resolves its services with tsyringe, which needs it
import * as x509 from "@peculiar/x509";
import { TLS_DIR } from "./paths.ts";

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

export interface TlsFiles {
  caCert: string;
  serverCert: string;
  serverKey: string;
}

const ALG = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;
const DAY_MS = 86_400_000;

function tlsFiles(dir = TLS_DIR): TlsFiles {
  return {
    caCert: path.join(dir, "ca.crt"),
    serverCert: path.join(dir, "server.crt"),
    serverKey: path.join(dir, "server.key"),
  };
}

/** Creates the CA and server certificate unless they already exist and are still valid for 7 days. */
export async function ensureDevTls(dir = TLS_DIR): Promise<TlsFiles> {
  const files = tlsFiles(dir);
  if (Object.values(files).every((f) => fs.existsSync(f)) && stillValid(files.serverCert)) return files;
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });

  const now = Date.now();
  const caKeys = await webcrypto.subtle.generateKey(ALG, true, ["sign", "verify"]);
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    name: "CN=authbridge local development CA",
    keys: caKeys as CryptoKeyPair,
    signingAlgorithm: ALG,
    notBefore: new Date(now - DAY_MS),
    notAfter: new Date(now + 3650 * DAY_MS),
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey as CryptoKey),
    ],
  });

  const serverKeys = await webcrypto.subtle.generateKey(ALG, true, ["sign", "verify"]);
  const server = await x509.X509CertificateGenerator.create({
    subject: "CN=localhost",
    issuer: ca.subject,
    publicKey: serverKeys.publicKey as CryptoKey,
    signingKey: caKeys.privateKey as CryptoKey,
    signingAlgorithm: ALG,
    notBefore: new Date(now - DAY_MS),
    notAfter: new Date(now + 825 * DAY_MS),
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyAgreement, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        { type: "dns", value: "localhost" },
        { type: "ip", value: "127.0.0.1" },
        { type: "ip", value: "::1" },
      ]),
      await x509.AuthorityKeyIdentifierExtension.create(caKeys.publicKey as CryptoKey),
    ],
  });

  const pkcs8 = await webcrypto.subtle.exportKey("pkcs8", serverKeys.privateKey as CryptoKey);
  const keyPem = x509.PemConverter.encode(pkcs8, "PRIVATE KEY");
  fs.writeFileSync(files.caCert, ca.toString("pem") + "\n", { mode: 0o644 });
  fs.writeFileSync(files.serverCert, server.toString("pem") + "\n", { mode: 0o644 });
  fs.writeFileSync(files.serverKey, keyPem + "\n", { mode: 0o600 });
  return files;
}

function stillValid(certPath: string): boolean {
  try {
    const cert = new x509.X509Certificate(fs.readFileSync(certPath, "utf8"));
    return cert.notAfter.getTime() > Date.now() + 7 * DAY_MS;
  } catch {
    return false;
  }
}
