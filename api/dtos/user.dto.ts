import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
} from 'class-validator';
import { ROLES, type Role, type User } from '../../db/entities';
import { LANGUAGES, type Language } from '../../domain/people';

export class LoginDto {
  @ApiProperty({ example: 'admin' })
  @IsString()
  @Length(1, 64)
  username!: string;

  @ApiProperty({ format: 'password' })
  @IsString()
  @Length(1, 200)
  password!: string;
}

export class CreateUserDto {
  @ApiProperty({ example: 'li.wei', description: 'Lower-case letters, digits, dot, dash, underscore; 2-64.' })
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9._-]{1,63}$/, {
    message: 'username must be 2-64 lower-case letters, digits, dots, dashes or underscores',
  })
  username!: string;

  @ApiProperty({ format: 'password', minLength: 12 })
  @IsString()
  @Length(12, 200, { message: 'password must be 12 to 200 characters long' })
  password!: string;

  @ApiProperty({ example: 'Li Wei' })
  @IsString()
  @Length(1, 200)
  displayName!: string;

  @ApiPropertyOptional({ example: 'li.wei@example.com' })
  @IsOptional()
  @IsEmail()
  @MaxLength(320)
  email?: string;

  @ApiProperty({ enum: ROLES, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(ROLES, { each: true })
  roles!: Role[];

  @ApiPropertyOptional({ enum: LANGUAGES, default: 'zh-CN', description: 'Language of notifications.' })
  @IsOptional()
  @IsIn(['zh-CN', 'en'])
  language?: Language;
}

export class UpdateUserDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 200) displayName?: string;

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @IsEmail()
  @MaxLength(320)
  email?: string | null;

  @ApiPropertyOptional({ enum: ROLES, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(ROLES, { each: true })
  roles?: Role[];

  @ApiPropertyOptional({ enum: LANGUAGES, description: 'Language of notifications.' })
  @IsOptional()
  @IsIn(['zh-CN', 'en'])
  language?: Language;

  @ApiPropertyOptional({
    description: 'A disabled user cannot sign in, and their tokens stop working at once.',
  })
  @IsOptional()
  @IsBoolean()
  disabled?: boolean;

  @ApiPropertyOptional({ format: 'password', minLength: 12 })
  @IsOptional()
  @IsString()
  @Length(12, 200, { message: 'password must be 12 to 200 characters long' })
  password?: string;
}

export class UserDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() username!: string;
  @ApiProperty() displayName!: string;
  @ApiProperty({ type: String, nullable: true }) email!: string | null;
  @ApiProperty({ enum: ROLES, isArray: true }) roles!: Role[];
  @ApiProperty() disabled!: boolean;
  @ApiProperty({ enum: LANGUAGES }) language!: Language;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;

  static from(user: User): UserDto {
    const { id, username, displayName, email, roles, disabled, language } = user;
    return {
      id,
      username,
      displayName,
      email,
      roles: [...roles],
      disabled,
      language,
      createdAt: user.createdAt.toISOString(),
    };
  }
}

export class SessionUserDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() username!: string;
  @ApiProperty({ enum: ROLES, isArray: true }) roles!: string[];
}

export class MeDto extends SessionUserDto {
  @ApiProperty({ enum: LANGUAGES, description: 'The language of the console and of notifications.' })
  language!: Language;

  @ApiProperty({
    type: String,
    nullable: true,
    description:
      'When signed in by the session cookie: the anti-forgery token to send as X-CSRF-Token on every write. ' +
      'Null for bearer tokens.',
  })
  csrfToken!: string | null;
}

export class UpdateMeDto {
  @ApiProperty({ enum: LANGUAGES, description: 'The language of the console and of notifications.' })
  @IsIn(['zh-CN', 'en'])
  language!: Language;
}

export class SessionResultDto {
  @ApiProperty({ type: SessionUserDto }) user!: SessionUserDto;

  @ApiProperty({
    description:
      'Send as X-CSRF-Token on every write made with the session cookie. Keep it in memory only; ' +
      'GET /api/auth/me gives it again after a reload.',
  })
  csrfToken!: string;
}

export class LoginResultDto {
  @ApiProperty({ description: 'Send as Authorization: Bearer <accessToken>.' }) accessToken!: string;
  @ApiProperty({ type: SessionUserDto }) user!: SessionUserDto;
}

export class UserListDto {
  @ApiProperty({ type: [UserDto] }) items!: UserDto[];
}

export class EndedSessionsDto {
  @ApiProperty({ description: 'How many open sessions were ended.' }) ended!: number;
}
