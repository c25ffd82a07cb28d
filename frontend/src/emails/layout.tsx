// The frame every account email shares: the product's name, a heading, a few lines, ONE action
// button (the same link printed in full below it, for clients that block buttons), at most one
// secondary link, and a footer saying why the mail came. Plain inline styles only: mail clients
// ignore stylesheets.
import { Body, Button, Container, Head, Heading, Hr, Html, Link, Preview, Section, Text } from "@react-email/components";
import type { ReactNode } from "react";

export const PRODUCT_NAME = "authbridge";

interface EmailAction {
  label: string;
  url: string;
}

export interface EmailLayoutProps {
  preview: string;
  heading: string;
  children: ReactNode;
  action?: EmailAction;
  /** A second, quieter link ("this wasn't me"), printed in full too. */
  secondary?: EmailAction;
  /** Why the recipient got this mail (the footer). */
  reason: string;
}

const page = { backgroundColor: "#f4f4f5", fontFamily: "system-ui, -apple-system, Segoe UI, Roboto, sans-serif", padding: "24px 0" };
const card = { backgroundColor: "#ffffff", borderRadius: "8px", margin: "0 auto", maxWidth: "480px", padding: "32px" };
const brand = { color: "#18181b", fontSize: "14px", fontWeight: 700, letterSpacing: "0.02em", margin: "0 0 24px" };
const title = { color: "#18181b", fontSize: "20px", fontWeight: 600, margin: "0 0 16px" };
const button = { backgroundColor: "#18181b", borderRadius: "6px", color: "#ffffff", display: "inline-block", fontSize: "14px", fontWeight: 600, padding: "12px 20px", textDecoration: "none" };
const small = { color: "#71717a", fontSize: "12px", lineHeight: "18px" };

export function EmailLayout({ preview, heading, children, action, secondary, reason }: EmailLayoutProps) {
  return (
    <Html lang="en">
      <Head />
      <Preview>{preview}</Preview>
      <Body style={page}>
        <Container style={card}>
          <Text style={brand}>{PRODUCT_NAME}</Text>
          <Heading as="h1" style={title}>
            {heading}
          </Heading>
          {children}
          {action && (
            <>
              <Section style={{ margin: "24px 0" }}>
                <Button href={action.url} style={button}>
                  {action.label}
                </Button>
              </Section>
              <Text style={small}>
                Or paste this link into your browser: <Link href={action.url}>{action.url}</Link>
              </Text>
            </>
          )}
          {secondary && (
            <Text style={small}>
              {secondary.label}: <Link href={secondary.url}>{secondary.url}</Link>
            </Text>
          )}
          <Hr style={{ borderColor: "#e4e4e7", margin: "24px 0" }} />
          <Text style={small}>{reason}</Text>
        </Container>
      </Body>
    </Html>
  );
}

const paragraph = { color: "#3f3f46", fontSize: "14px", lineHeight: "22px", margin: "0 0 12px" };

export function P({ children }: { children: ReactNode }) {
  return <Text style={paragraph}>{children}</Text>;
}
