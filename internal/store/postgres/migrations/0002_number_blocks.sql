-- Each instance takes numbers in blocks of 100: nextval returns the first
-- number of a block that the instance then hands out by itself (see
-- numbers.go). Instances that take one number per nextval stay safe beside
-- them, since every value returned is still the start of a block nobody
-- else gets.
ALTER SEQUENCE numbers INCREMENT BY 100;
