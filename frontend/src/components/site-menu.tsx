"use client";
// The signed-out header on a phone-size screen: one Menu button instead of the theme switch and the
// two links, which together need about 430 px (docs: frontend/README.md "The interface").
import { LogIn, Menu, UserPlus } from "lucide-react";
import Link from "next/link";
import { ThemeRadioItems } from "./theme-switch";
import { Button } from "./ui/button";
import { DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuLabel, DropdownMenuSeparator, DropdownMenuTrigger } from "./ui/dropdown-menu";

export function SignedOutMenu({ className }: { className?: string }) {
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button variant="ghost" size="icon" className={className} aria-label="Menu">
          <Menu aria-hidden />
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent className="min-w-52">
        <DropdownMenuItem asChild>
          <Link href="/sign-in">
            <LogIn aria-hidden />
            Sign in
          </Link>
        </DropdownMenuItem>
        <DropdownMenuItem asChild>
          <Link href="/sign-up">
            <UserPlus aria-hidden />
            Create account
          </Link>
        </DropdownMenuItem>
        <DropdownMenuSeparator />
        <DropdownMenuLabel className="text-muted-foreground">Theme</DropdownMenuLabel>
        <ThemeRadioItems />
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
