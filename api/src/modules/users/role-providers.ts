import { Injectable } from '@nestjs/common';
import { UsersRepository } from './users.repository';

/**
 * Membership-based roles (`sig:<slug>:lead`, `body:toc:member` …) are contributed by the features
 * that own the memberships; each registers a provider here. Site roles come from user_roles.
 */
export interface RoleProvider {
  rolesFor(userId: number): Promise<string[]>;
}

@Injectable()
export class RoleResolver {
  private readonly providers: RoleProvider[] = [];

  constructor(private readonly users: UsersRepository) {}

  register(provider: RoleProvider): void {
    this.providers.push(provider);
  }

  async rolesFor(userId: number): Promise<string[]> {
    const lists = await Promise.all([this.users.siteRoles(userId), ...this.providers.map((p) => p.rolesFor(userId))]);
    return [...new Set(lists.flat())].sort();
  }
}
